/**
 * `@lm-objectives/glm`: GLM's autoregressive blank infilling for TensorFlow.js — the sample
 * builder (token spans, sentences, `[gMASK]` suffix; Part A/Part B, 2-D positions, the mixed
 * attention mask) and the `LossObjective` v1 that scores it.
 *
 * @packageDocumentation
 */

// Data side
export {
  type CollateGlmBatchOptions,
  collateGlmBatch,
  GLM_BATCH_FIELDS,
  type GlmBatch,
  type GlmFieldName,
} from './collate-glm-batch';
// Tensor side
export {
  createGlmObjective,
  GLM_OBJECTIVE_ID,
  type GlmExample,
  type GlmObjective,
  type GlmObjectiveOptions,
} from './create-glm-objective';
export {
  createGlmSampleBuilder,
  type GlmExplicitBlanks,
  type GlmModeChoice,
  type GlmSampleBuilder,
  type GlmSampleBuilderOptions,
  type ResolvedGlmSampleBuilderOptions,
} from './create-glm-sample-builder';
export { glmAttentionBias } from './glm-attention-bias';
export { glmAttentionMask } from './glm-attention-mask';
export {
  GLM_MODES,
  type GlmMode,
  type GlmSample,
  type GlmSpan,
  type GlmSpanFit,
} from './glm-sample';
export type { GlmSpecialTokens, ResolvedGlmSpecialTokens } from './glm-special-tokens';
export {
  createSentenceSplitter,
  DEFAULT_SENTENCE_END_MARKS,
  type SentenceSplitter,
  type SentenceSplitterOptions,
} from './sentence-splitter';
export {
  createSpanLengthSampler,
  type SpanLengthSampler,
  truncatedPoissonWeights,
} from './span-length-distribution';
