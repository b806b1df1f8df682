// Runs in a fresh npm project where only @lm-objectives/lora (with core) and @tensorflow/tfjs are installed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@lm-objectives/core';
import {
  createConditionalLmObjective,
  createLoraAdapter,
  createLoraAdapters,
  decodeLoraCheckpoint,
  encodeLoraCheckpoint,
  loadLoraAdapters,
  saveLoraAdapters,
} from '@lm-objectives/lora';

tf.env().set('PROD', true);
const objective = createConditionalLmObjective({ eosTokenId: 1 });
const batch = objective.createBatch(
  [
    { prompt: [5, 6, 7], completion: [8, 9] },
    { prompt: [3], completion: [4, 4, 2] },
  ],
  { random: createRng(3) },
);
const rng = createRng(5);
const [rows, length] = batch.fields.inputIds.shape;
const logitValues = Float32Array.from({ length: rows * length * 12 }, () => rng.normal());
const kernelValues = Float32Array.from({ length: 12 * 6 }, () => rng.normal());
const results = {};
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  const logits = tf.tensor3d(logitValues, [rows, length, 12]);
  const { loss, parts } = objective.computeLoss({ outputs: { logits }, batch });
  const kernel = tf.variable(tf.tensor2d(kernelValues, [12, 6]));
  const adapter = createLoraAdapter({ kernel, rank: 2, alpha: 4 });
  const same = tf.tidy(
    () =>
      tf
        .max(tf.abs(tf.sub(adapter.apply(tf.ones([1, 12])), tf.matMul(tf.ones([1, 12]), kernel))))
        .dataSync()[0],
  );
  results[backend] = {
    loss: loss.dataSync()[0],
    scored: Object.values(parts)[0].count.dataSync()[0],
    initialDelta: same,
  };
  const lora = createLoraAdapters({ 'attention/query': { kernel } }, { rank: 2 });
  const bytes = encodeLoraCheckpoint(saveLoraAdapters(lora));
  loadLoraAdapters(lora, decodeLoraCheckpoint(bytes));
  const flipped = bytes.slice();
  flipped[flipped.length - 1] ^= 1;
  try {
    decodeLoraCheckpoint(flipped);
    results[backend].corruption = 'accepted';
  } catch (error) {
    results[backend].corruption = error.code;
  }
  lora.dispose();
}
if (
  Math.abs(results.cpu.loss - results.wasm.loss) > 1e-5 ||
  results.cpu.scored !== 7 ||
  results.cpu.initialDelta > 1e-6 ||
  results.cpu.corruption !== 'checksum-mismatch'
) {
  throw new Error(`unexpected results: ${JSON.stringify(results)}`);
}
console.log(
  `[install-check] lora: conditional LM loss on cpu ${results.cpu.loss.toFixed(6)}, wasm ${results.wasm.loss.toFixed(6)} over ${results.cpu.scored} completion tokens; a fresh adapter leaves the kernel's output unchanged; a flipped checkpoint byte is refused (${results.cpu.corruption})`,
);
