// GLM pre-training (autoregressive blank infilling) of a tiny GLM encoder, end to end.
// Run it: `node --import tsx glm.ts` (or compile it with tsc). It prints the loss as it falls.

import { createRng } from '@lm-objectives/core';
import { createGlmObjective, glmAttentionBias } from '@lm-objectives/glm';
import { createGlmEncoder } from '@lm-objectives/models';
import { createLearningRateSchedule, createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

// Special ids of our toy vocabulary; ordinary tokens are 6 … 47.
const SPECIAL_TOKEN_IDS = {
  padTokenId: 0,
  clsTokenId: 1,
  maskTokenId: 2,
  sopTokenId: 3,
  eopTokenId: 4,
  gMaskTokenId: 5,
};
const VOCABULARY_SIZE = 48;
const SEQUENCE_LENGTH = 48;
const HIDDEN_SIZE = 32;
const STEPS = 40;

// Texts are token ids without [CLS] (the builder prepends it). Each one counts upwards from a
// random start, so a blank can be filled from its neighbours.
const corpusRandom = createRng(7);
const texts = Array.from({ length: 64 }, () => {
  const start = corpusRandom.int(0, 41);
  return Array.from({ length: corpusRandom.int(16, 24) }, (_, t) => 6 + ((start + t) % 42));
});

// GLM-10B's mixture: token spans half the time, sentences never here (no splitter), the
// [gMASK] document suffix otherwise.
const objective = createGlmObjective({
  ...SPECIAL_TOKEN_IDS,
  spanProbability: 0.5,
  documentMinBlankRatio: 0.25,
  maxLength: SEQUENCE_LENGTH,
  padding: 'max-length',
});
const encoder = createGlmEncoder({
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
    inputFields: ['inputIds', 'positionIds', 'blockPositionIds'],
    apply: ({ tensors, batch, training }) => {
      const { inputIds, positionIds, blockPositionIds } = tensors;
      if (!inputIds || !positionIds || !blockPositionIds) throw new Error('missing batch fields');
      // Part A attends bidirectionally, Part B causally: query i sees key j iff j < sep or j ≤ i.
      const attentionBias = glmAttentionBias(batch);
      const { hiddenStates, projection } = encoder.apply(
        { inputIds, positionIds, blockPositionIds, attentionBias },
        { training },
      );
      return { hiddenStates, projection }; // the fused loss: no [B, L, V] logits
    },
  },
  learningRate: createLearningRateSchedule({ peak: 3e-3, warmupSteps: 4, totalSteps: STEPS }),
  seed: 1,
});

await trainer.train({
  totalSteps: STEPS,
  nextWindow: ({ random, createBatch }) => {
    const start = random.int(0, texts.length - 8);
    return [createBatch(texts.slice(start, start + 8))];
  },
  onProgress: ({ step, loss, metrics }) => {
    if (step % 5 === 0) {
      const blankRatio = metrics.blankRatio ?? Number.NaN;
      console.log(`step ${step} loss ${loss.toFixed(4)} (blank ratio ${blankRatio.toFixed(2)})`);
    }
  },
});

trainer.dispose();
objective.dispose();
encoder.dispose();
