// Writes the exported checkpoints that scripts/check_exported_checkpoints.py loads in PyTorch:
//   src/hugging-face/__fixtures__/exported/<case>/config.json and model.safetensors
// Run from packages/models: node --import tsx scripts/export-fixtures.ts
// The test export-hugging-face-model.test.ts re-exports the same models and checks the bytes are
// unchanged, so PyTorch's recorded outputs (torch-check.json) still describe these files.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { exportHuggingFaceModel } from '../src/hugging-face/export-hugging-face-model';
import { EXPORTED_MODELS } from '../test/exported-models';

tf.env().set('PROD', true);
await tf.setBackend('cpu');
for (const [name, create] of Object.entries(EXPORTED_MODELS)) {
  const model = create();
  const files = exportHuggingFaceModel(model);
  const folder = new URL(`../src/hugging-face/__fixtures__/exported/${name}/`, import.meta.url);
  mkdirSync(folder, { recursive: true });
  writeFileSync(new URL('config.json', folder), files.configJson);
  writeFileSync(new URL('model.safetensors', folder), files.weights);
  model.dispose();
  console.log(`${name}: ${files.architecture}, ${files.weights.byteLength} bytes`);
}
