// The LossObjective v1 conformance suite of @lm-objectives/testing, run on the conditional
// (completion-only) objective with a tiny one-layer causal model, through the logits path and the
// fused hidden-states path, on cpu and wasm.
import { createTinyLanguageModel, describeObjectiveConformance } from '@lm-objectives/testing';
import { type ConditionalLmBatch, createConditionalLmObjective } from '../src/index';

const VOCABULARY_SIZE = 16;
const EOS = 2;

const createObjective = () =>
  createConditionalLmObjective({
    eosTokenId: EOS,
    padTokenId: 0,
    vocabularySize: VOCABULARY_SIZE,
    maxLength: 8,
  });
const createModel = () => createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 7 });
const examples = [
  { prompt: [5, 6, 7], completion: [8, 9] },
  { prompt: [10, 11], completion: [12, 13, 14] },
  { prompt: [15], completion: [4] },
];
const fixture = {
  examples,
  // A prompt that fills maxLength: truncation leaves its completion nothing, so it is dropped and
  // the batch counts zero tokens.
  zeroCountExamples: [{ prompt: [5, 6, 7, 8, 9, 10, 11, 12], completion: [13] }],
  invalidExamples: [
    {
      description: 'a token id outside the vocabulary',
      examples: [{ prompt: [5], completion: [99] }],
    },
    { description: 'an example without a completion', examples: [{ prompt: [5, 6] }] },
  ],
};

describeObjectiveConformance<unknown, ConditionalLmBatch, unknown>(
  'lora/conditional-lm (logits)',
  createObjective,
  () => ({ ...fixture, model: createModel().logitModel<ConditionalLmBatch>('inputIds') }),
);

describeObjectiveConformance<unknown, ConditionalLmBatch, unknown>(
  'lora/conditional-lm (hidden states + projection)',
  createObjective,
  () => ({ ...fixture, model: createModel().hiddenStateModel<ConditionalLmBatch>('inputIds') }),
);
