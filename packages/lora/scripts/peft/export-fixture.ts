// Writes the adapter this project exports for the cross-runtime check with PyTorch:
//   src/peft/__fixtures__/exported/{case.golden.json, adapter_config.golden.json, adapter_model.safetensors}
// Run from packages/lora: node --import tsx scripts/peft/export-fixture.ts
// then: /usr/bin/python3 scripts/peft/generate_torch_fixtures.py

import { mkdirSync, writeFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { exportPeftAdapter } from '../../src/peft/export-peft-adapter';
import {
  caseLinears,
  EXPORTED_CASE_OPTIONS,
  exportedCaseData,
  trainedCaseAdapters,
} from '../../test/peft-cross-runtime-case';

tf.env().set('PROD', true);
await tf.setBackend('cpu');
const directory = new URL('../../src/peft/__fixtures__/exported/', import.meta.url);
mkdirSync(directory, { recursive: true });
const data = exportedCaseData();
const linears = caseLinears(data);
const lora = trainedCaseAdapters(linears, data);
const files = exportPeftAdapter(lora, EXPORTED_CASE_OPTIONS);
writeFileSync(new URL('case.golden.json', directory), `${JSON.stringify(data)}\n`);
writeFileSync(new URL('adapter_config.golden.json', directory), files.configJson);
writeFileSync(new URL('adapter_model.safetensors', directory), files.weights);
console.log(
  `wrote ${files.weights.length} bytes of adapter weights for ${lora.adapters.size} linears`,
);
