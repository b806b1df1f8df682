// Runs in a fresh npm project where only @lm-objectives/glm (with core) and @tensorflow/tfjs are installed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@lm-objectives/core';
import { createGlmObjective } from '@lm-objectives/glm';

tf.env().set('PROD', true);
const objective = createGlmObjective({
  clsTokenId: 1,
  maskTokenId: 2,
  sopTokenId: 3,
  eopTokenId: 4,
  gMaskTokenId: 5,
});
const texts = [
  Int32Array.from({ length: 40 }, (_, index) => 10 + (index % 20)),
  Int32Array.from({ length: 30 }, (_, index) => 12 + (index % 7)),
];
const batch = objective.createBatch(texts, { random: createRng(11) });
const [rows, length] = batch.fields.inputIds.shape;
const rng = createRng(2);
const values = Float32Array.from({ length: rows * length * 32 }, () => rng.normal());
const results = {};
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  const logits = tf.tensor3d(values, [rows, length, 32]);
  const { loss } = objective.computeLoss({ outputs: { logits }, batch });
  results[backend] = loss.dataSync()[0];
}
if (!(Math.abs(results.cpu - results.wasm) < 1e-5) || !Number.isFinite(results.cpu))
  throw new Error(`unexpected: ${JSON.stringify(results)}`);
console.log(
  `[install-check] glm: blank-infilling loss on cpu ${results.cpu.toFixed(6)}, wasm ${results.wasm.toFixed(6)} for a [${rows}, ${length}] batch`,
);
