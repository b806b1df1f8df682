// Runs in a fresh npm project where only @lm-objectives/core and @tensorflow/tfjs are installed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng, crossEntropy, InvalidArgumentError } from '@lm-objectives/core';

tf.env().set('PROD', true);
const rng = createRng(1);
const values = Float32Array.from({ length: 2 * 3 * 5 }, () => rng.normal());
const results = {};
let logits;
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  logits = tf.tensor3d(values, [2, 3, 5]);
  const labels = tf.tensor2d(
    [
      [1, 4, -100],
      [0, 2, 3],
    ],
    [2, 3],
    'int32',
  );
  const gradient = tf.grad((input) => crossEntropy(input, labels, { shift: true }).loss)(logits);
  const { loss, count } = crossEntropy(logits, labels, { shift: true });
  results[backend] = {
    loss: loss.dataSync()[0],
    count: count.dataSync()[0],
    gradientSum: tf.sum(tf.abs(gradient)).dataSync()[0],
  };
}
if (Math.abs(results.cpu.loss - results.wasm.loss) > 1e-5 || results.cpu.count !== 3)
  throw new Error(`backends disagree: ${JSON.stringify(results)}`);
try {
  crossEntropy(
    logits,
    tf.tensor2d(
      [
        [1, 9, 0],
        [0, 0, 0],
      ],
      [2, 3],
      'int32',
    ),
  );
  throw new Error('an out-of-range label was accepted');
} catch (error) {
  if (!InvalidArgumentError.isInstance(error)) throw error;
}
console.log(
  `[install-check] core: crossEntropy on cpu ${results.cpu.loss.toFixed(6)}, wasm ${results.wasm.loss.toFixed(6)} (count ${results.cpu.count}); typed error across the package boundary`,
);
