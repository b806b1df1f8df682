// The lm-objectives conformance suite, run the way any plugin author runs it: on cpu and wasm,
// with a tiny generator and a tiny discriminator built from @lm-objectives/testing's fixture model.

import { linear } from '@lm-objectives/core';
import { createTinyLanguageModel, describeObjectiveConformance } from '@lm-objectives/testing';
import * as tf from '@tensorflow/tfjs-core';
import {
  createElectraObjective,
  type ElectraBatch,
  type ElectraExample,
  type ElectraModelOutputs,
} from '../src/index';

const VOCABULARY_SIZE = 16;
const [PAD, MASK, CLS, SEP] = [0, 1, 2, 3];
const options = {
  vocabularySize: VOCABULARY_SIZE,
  maskTokenId: MASK,
  padTokenId: PAD,
  specialTokenIds: [CLS, SEP],
  // A higher rate than the paper's 0.15, so that the short fixture rows mask several tokens.
  maskRatio: 0.3,
};

function createFixture() {
  const generator = createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 1 });
  const discriminator = createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 2 });
  const head = tf.tidy(() =>
    tf.variable(tf.tensor2d([[0.9], [-0.7], [0.5], [0.3]]), true, 'discriminator-head'),
  );
  const generatorVariables = [
    generator.embeddingTable,
    generator.mixingKernel,
    generator.mixingBias,
    generator.outputKernel,
  ];
  const discriminatorVariables = [
    discriminator.embeddingTable,
    discriminator.mixingKernel,
    discriminator.mixingBias,
    head,
  ];
  return {
    examples: [
      [CLS, 4, 5, 6, 7, 8, SEP],
      [CLS, 9, 10, 11, SEP],
      [CLS, 12, 13, 14, 15, 4, 5, SEP],
    ],
    // Only special tokens: nothing to mask, so the generator part counts zero.
    zeroCountExamples: [
      [CLS, SEP],
      [CLS, SEP, SEP],
    ],
    invalidExamples: [
      { description: 'a token id outside the vocabulary', examples: [[CLS, 99, SEP]] },
      { description: 'a row that is not a sequence', examples: [42] },
    ],
    model: {
      variables: [...generatorVariables, ...discriminatorVariables],
      apply: (batch: ElectraBatch): ElectraModelOutputs => ({
        generatorLogits: generator.logits(batch.fields.generatorInputIds),
        // One "replaced" logit per token: hidden states [B, L, H] times the head [H, 1].
        discriminatorLogits: tf.squeeze(
          linear(discriminator.hiddenStates(batch.fields.discriminatorInputIds), head),
          [2],
        ),
      }),
      dispose: () => {
        generator.dispose();
        discriminator.dispose();
        head.dispose();
      },
    },
  };
}

describeObjectiveConformance<ElectraExample, ElectraBatch, ElectraModelOutputs>(
  'electra/replaced-token-detection',
  () => createElectraObjective(options),
  createFixture,
  // L = L_MLM + λ·L_Disc: the suite checks the total with the declared weight.
  { partWeights: { discriminator: 50 } },
);
