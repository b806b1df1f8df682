// Your first objective: BERT's masked LM + next sentence prediction on one sentence pair.
import { createBertObjective } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('wasm');

// A toy vocabulary (ids 0–3 are the special tokens) and one sentence pair, A then B.
const special = ['[PAD]', '[CLS]', '[SEP]', '[MASK]'];
const words = [...special, ...'the cat sat on a mat and then slept'.split(' ')];
const text = '[CLS] the cat sat on a mat [SEP] and then slept [SEP]'.split(' ');
const inputIds = text.map((word) => words.indexOf(word));
const tokenTypeIds = text.map((_, t) => (t > text.indexOf('[SEP]') ? 1 : 0));
const bert = createBertObjective({
  vocabularySize: words.length,
  hiddenSize: 8,
  clsTokenId: 1,
  sepTokenId: 2,
  padTokenId: 0,
  maskTokenId: 3,
});

// Data side: examples in, a batch of typed arrays out; every random choice comes from the seed.
const example = { inputIds, tokenTypeIds, nextSentenceLabel: 0 }; // 0: B follows A
const batch = bert.createBatch([example], { random: createRng(42) });
const show = (ids) => Array.from(ids, (id) => words[id] ?? '·').join(' ');
console.log(`input   ${show(batch.fields.inputIds.data)}`);
console.log(`labels  ${show(batch.fields.labels.data)}`);

// Tensor side: the model's outputs in, the loss out. This model knows nothing yet: random outputs.
const hiddenStates = tf.randomNormal([1, text.length, 8], 0, 1, 'float32', 1);
const embeddingTable = tf.randomNormal([words.length, 8], 0, 0.02, 'float32', 2);
const { loss, parts } = bert.computeLoss({ outputs: { hiddenStates, embeddingTable }, batch });
const [total, maskedLm, nsp] = [loss, parts.maskedLm.loss, parts.nextSentence.loss].map((tensor) =>
  tensor.dataSync()[0].toFixed(3),
);
console.log(`loss    ${total} = masked LM ${maskedLm} + NSP ${nsp}`);
console.log(`guess   ln ${words.length} = ${Math.log(words.length).toFixed(3)}, ln 2 = 0.693`);
