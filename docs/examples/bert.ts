// BERT pre-training (masked LM + next sentence prediction) of a tiny encoder, end to end.
// Run it: `node --import tsx bert.ts` (or compile it with tsc). It prints the loss as it falls.

import { createBertObjective, createNextSentencePairBuilder } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';
import { createBertEncoder } from '@lm-objectives/models';
import { createLearningRateSchedule, createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

// Special ids of our toy vocabulary; ordinary tokens are 5 … 63.
const PAD = 0;
const CLS = 1;
const SEP = 2;
const MASK = 3;
const VOCABULARY_SIZE = 64;
const SEQUENCE_LENGTH = 32;
const HIDDEN_SIZE = 32;
const STEPS = 40;

// A corpus is documents → sentences → token ids (no [CLS]/[SEP]). Here each document repeats a
// pattern of its own, so that "does sentence B follow sentence A?" is learnable.
const corpusRandom = createRng(2024);
const documents = Array.from({ length: 12 }, (_, document) =>
  Array.from({ length: 5 }, (_, sentence) =>
    Array.from(
      { length: corpusRandom.int(3, 7) },
      (_, t) => 5 + ((document * 5 + sentence + t) % 59),
    ),
  ),
);

// [CLS] A [SEP] B [SEP] pairs, half of them with a random B (label 1 = NotNext).
const pairBuilder = createNextSentencePairBuilder({
  clsTokenId: CLS,
  sepTokenId: SEP,
  maxLength: SEQUENCE_LENGTH,
});
const { examples } = pairBuilder.build(documents, createRng(1));

const objective = createBertObjective({
  vocabularySize: VOCABULARY_SIZE,
  hiddenSize: HIDDEN_SIZE,
  clsTokenId: CLS,
  sepTokenId: SEP,
  padTokenId: PAD,
  maskTokenId: MASK,
  maxLength: SEQUENCE_LENGTH,
  padding: 'max-length',
});
const encoder = createBertEncoder({
  vocabularySize: VOCABULARY_SIZE,
  hiddenSize: HIDDEN_SIZE,
  numLayers: 2,
  numHeads: 2,
  maxPositions: SEQUENCE_LENGTH,
  seed: 1,
});

const trainer = createTrainer({
  objective,
  model: {
    variables: encoder.variables,
    embeddings: encoder.embeddingVariables,
    inputFields: ['inputIds', 'tokenTypeIds', 'attentionMask'],
    // The objective reads the last hidden states and the token table (tied masked-LM output layer).
    apply: ({ tensors, training }) => {
      const { inputIds, tokenTypeIds, attentionMask } = tensors;
      if (!inputIds || !tokenTypeIds || !attentionMask) throw new Error('missing batch fields');
      const { hiddenStates, embeddingTable } = encoder.apply(
        { inputIds, tokenTypeIds, attentionMask },
        { training },
      );
      return { hiddenStates, embeddingTable };
    },
  },
  learningRate: createLearningRateSchedule({ peak: 3e-3, warmupSteps: 4, totalSteps: STEPS }),
  seed: 1,
});

await trainer.train({
  totalSteps: STEPS,
  // One step = one batch of 8 pairs; the masking draws from trainer.random (checkpointable).
  nextWindow: ({ random, createBatch }) => {
    const start = random.int(0, examples.length - 8);
    return [createBatch(examples.slice(start, start + 8))];
  },
  onProgress: ({ step, loss, parts }) => {
    if (step % 5 === 0) {
      const maskedLm = parts.maskedLm?.loss ?? Number.NaN;
      const nextSentence = parts.nextSentence?.loss ?? Number.NaN;
      console.log(
        `step ${step} loss ${loss.toFixed(4)} (masked LM ${maskedLm.toFixed(4)}, NSP ${nextSentence.toFixed(4)})`,
      );
    }
  },
});

trainer.dispose();
objective.dispose();
encoder.dispose();
