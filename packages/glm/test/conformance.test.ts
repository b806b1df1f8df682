// The LossObjective v1 conformance suite of @lm-objectives/testing, run on the GLM objective with a
// tiny one-layer model, through both the logits path and the fused hidden-states path, on cpu and wasm.
import {
  createTinyLanguageModel,
  createTokenSequences,
  describeObjectiveConformance,
} from '@lm-objectives/testing';
import { describe, expect, it } from 'vitest';
import { createGlmObjective, type GlmBatch } from '../src/index';
import { WORKED_TOKEN_IDS } from './worked-examples';

const VOCABULARY_SIZE = 16;
const TOKENS = WORKED_TOKEN_IDS;

// Token spans and [gMASK] suffixes, so that two of the three parts are counted; the sentence part
// is never drawn and checks the zero-count rule.
const createObjective = () => createGlmObjective({ ...TOKENS, spanProbability: 0.5 });
const createModel = () => createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 11 });
const examples = createTokenSequences({
  count: 4,
  minLength: 6,
  maxLength: 10,
  vocabularySize: VOCABULARY_SIZE,
  firstId: 6,
  seed: 2,
});
const invalidExamples = [{ description: 'an empty list of texts', examples: [] }];
const options = {
  // GLM reports each mode as its share of one loss over all Part B tokens: loss_m = sum_m / Σ_m N_m.
  normalisation: 'shared',
} as const;

describeObjectiveConformance<number[], GlmBatch, unknown>(
  'glm/blank-infilling (logits)',
  createObjective,
  () => ({ examples, invalidExamples, model: createModel().logitModel<GlmBatch>('inputIds') }),
  options,
);

describeObjectiveConformance<number[], GlmBatch, unknown>(
  'glm/blank-infilling (hidden states + projection)',
  createObjective,
  () => ({
    examples,
    invalidExamples,
    model: createModel().hiddenStateModel<GlmBatch>('inputIds'),
  }),
  options,
);

describe('glm/blank-infilling conformance coverage', () => {
  it('implements explainBatch, so the explain-batch check runs instead of being skipped', () => {
    expect(typeof createObjective().explainBatch).toBe('function');
  });
});
