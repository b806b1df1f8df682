/**
 * `@lm-objectives/glm`: GLM's autoregressive blank infilling for TensorFlow.js — the sample
 * builder (token spans, sentences, `[gMASK]` suffix; Part A/Part B, 2-D positions, the mixed
 * attention mask) and the `LossObjective` v1 that scores it.
 *
 * @packageDocumentation
 */
// biome-ignore-all assist/source/organizeImports: the exports are grouped by concept, in reading order

// The objective: assembles the data side and the loss
export { createGlmObjective, GLM_OBJECTIVE_ID, type GlmObjective } from './create-glm-objective';

// Options
export type {
  GlmBatchOptions,
  GlmObjectiveOptions,
  GlmSampleBuilderOptions,
  ResolvedGlmSampleBuilderOptions,
} from './glm-options';
export type { GlmSpecialTokenIds, ResolvedGlmSpecialTokenIds } from './glm-special-token-ids';

// Samples and batches: the types the data side produces
export {
  GLM_MODES,
  type GlmExample,
  type GlmMode,
  type GlmSample,
  type GlmSpan,
  type GlmSpanFit,
} from './glm-sample';
export { GLM_BATCH_FIELDS, type GlmBatch, type GlmFieldName } from './glm-batch';

// Data side: pure functions on typed arrays, every random choice from a seeded RandomSource
export { createGlmBatch } from './data/create-glm-batch';
export {
  createGlmSampleBuilder,
  type GlmExplicitBlanks,
  type GlmSampleBuilder,
} from './data/create-glm-sample-builder';
export type { GlmModeChoice } from './data/choose-glm-mode';
export { explainGlmBatch } from './data/explain-glm-batch';
export {
  createSentenceSplitter,
  DEFAULT_SENTENCE_END_MARKS,
  type SentenceSplitter,
  type SentenceSplitterOptions,
} from './data/sentence-splitter';
export {
  createSpanLengthSampler,
  type SpanLengthSampler,
  truncatedPoissonWeights,
} from './data/span-length-distribution';
export { glmAttentionMask } from './data/glm-attention-mask';

// Tensor side, for the model: GLM's attention mask as an additive bias tensor
export { glmAttentionBias } from './glm-attention-bias';
