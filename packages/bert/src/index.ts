/**
 * `@lm-objectives/bert`: BERT pre-training for TensorFlow.js — masked language modelling
 * (`exact-round`, `exact-ceil` and `bernoulli` selection, whole-word masking, 80/10/10) and next
 * sentence prediction, with a gather-first masked-LM head tied to the input embeddings.
 *
 * @packageDocumentation
 */

// The objective: its batch, its options and its assembly
export {
  BERT_BATCH_FIELDS,
  type BertBatch,
  type BertFieldName,
  type BertPartName,
} from './bert-batch';
export type {
  BertMaskingOptions,
  BertObjectiveOptions,
  ResolvedBertObjectiveOptions,
} from './bert-options';
export type { BertPairExample } from './bert-pair-example';
export {
  BERT_OBJECTIVE_ID,
  type BertObjective,
  createBertObjective,
} from './create-bert-objective';
// Data side: pure functions of typed arrays, every random choice from a RandomSource
export type { BertPadding, BertPaddingOptions, ResolvedBertPadding } from './data/bert-padding';
export { continuationTokenIdsFromVocabulary } from './data/continuation-token-ids-from-vocabulary';
export { type BertBatchOptions, createBertBatch } from './data/create-bert-batch';
export { createMaskedLmMasker } from './data/create-masked-lm-masker';
export { createNextSentencePairBuilder } from './data/create-next-sentence-pair-builder';
export { explainBertBatch } from './data/explain-bert-batch';
export { MASK_ACTION, type MaskAction } from './data/mask-action';
export type { MaskedLmInput, MaskedLmMasker, MaskedLmResult } from './data/masked-lm-masker';
export {
  type MaskedLmMaskerOptions,
  type MaskedLmReplacement,
  type RandomTokenPool,
  type ResolvedMaskedLmMaskerOptions,
  resolveMaskedLmMaskerOptions,
} from './data/masked-lm-masker-options';
export { type MaskedLmSelection, maskedLmSelectionCount } from './data/masked-lm-selection-count';
export { NEXT_SENTENCE_LABEL, type NextSentenceLabel } from './data/next-sentence-label';
export type {
  BuiltPairExample,
  NextSentencePairBuilder,
  NextSentencePairResult,
  NextSentencePairStatistics,
  Sentence,
  SentenceDocument,
} from './data/next-sentence-pair-builder';
export type {
  NextSentencePairOptions,
  ResolvedNextSentencePairOptions,
} from './data/next-sentence-pair-options';
export { roundHalfEven } from './data/round-half-even';
// Tensor side: the heads and the loss
export type { BertModelOutputs } from './loss/bert-model-outputs';
export type {
  BertHeadWeights,
  MaskedLmHeadWeights,
  NextSentenceHeadWeights,
} from './loss/create-bert-head-weights';
export type { MaskedLmScoring } from './loss/masked-lm-head';
