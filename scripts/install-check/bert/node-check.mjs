// Runs in a fresh npm project where only @lm-objectives/bert (with core) and @tensorflow/tfjs are installed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createBertObjective, createNextSentencePairBuilder } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';

tf.env().set('PROD', true);
const sentence = (start, length) =>
  Array.from({ length }, (_, index) => 10 + ((start + index) % 80));
const documents = Array.from({ length: 4 }, (_, document) =>
  Array.from({ length: 5 }, (_, index) => sentence(document * 13 + index * 7, 6)),
);
const { examples } = createNextSentencePairBuilder({
  clsTokenId: 1,
  sepTokenId: 2,
  maxLength: 32,
}).build(documents, createRng(3));
const hiddenSize = 16;
const rng = createRng(4);
const hiddenValues = Float32Array.from({ length: 4 * 32 * hiddenSize }, () => rng.normal());
const tableValues = Float32Array.from({ length: 100 * hiddenSize }, () => rng.normal(0, 0.1));
const results = {};
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  const bert = createBertObjective({
    vocabularySize: 100,
    hiddenSize,
    clsTokenId: 1,
    sepTokenId: 2,
    padTokenId: 0,
    maskTokenId: 3,
    maxLength: 32,
    padding: 'max-length',
    seed: 9,
  });
  const batch = bert.createBatch(examples.slice(0, 4), { random: createRng(1) });
  const hiddenStates = tf.tensor3d(hiddenValues, [4, 32, hiddenSize]);
  const embeddingTable = tf.tensor2d(tableValues, [100, hiddenSize]);
  const { loss, parts } = bert.computeLoss({ outputs: { hiddenStates, embeddingTable }, batch });
  results[backend] = { loss: loss.dataSync()[0], masked: parts.maskedLm.count.dataSync()[0] };
  bert.dispose();
}
if (!(Math.abs(results.cpu.loss - results.wasm.loss) < 1e-4) || !(results.cpu.masked > 0))
  throw new Error(`unexpected: ${JSON.stringify(results)}`);
console.log(
  `[install-check] bert: masked LM + NSP loss on cpu ${results.cpu.loss.toFixed(5)}, wasm ${results.wasm.loss.toFixed(5)} with ${results.cpu.masked} masked positions`,
);
