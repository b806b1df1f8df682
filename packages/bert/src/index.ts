/**
 * `@lm-objectives/bert`: BERT pre-training for TensorFlow.js — masked language modelling
 * (`exact-round`, `exact-ceil` and `bernoulli` selection, whole-word masking, 80/10/10) and next
 * sentence prediction, with a gather-first masked-LM head tied to the input embeddings.
 *
 * @packageDocumentation
 */

export {
  BERT_BATCH_FIELDS,
  type BertBatch,
  type BertFieldName,
  type BertPartName,
} from './bert-batch';
export {
  BERT_OBJECTIVE_ID,
  type BertMaskingOptions,
  type BertModelOutputs,
  type BertObjective,
  type BertObjectiveOptions,
  createBertObjective,
  type ResolvedBertObjectiveOptions,
} from './create-bert-objective';
// Data side
export {
  type CollatedPairBatch,
  type CollatePairExamplesOptions,
  collatePairExamples,
} from './data/collate-pair-examples';
export { continuationTokenIdsFromVocabulary } from './data/continuation-token-ids-from-vocabulary';
export {
  createMaskedLmMasker,
  type MaskedLmInput,
  type MaskedLmMasker,
  type MaskedLmMaskerOptions,
  type MaskedLmReplacement,
  type MaskedLmResult,
  type RandomTokenPool,
  type ResolvedMaskedLmMaskerOptions,
  resolveMaskedLmMaskerOptions,
} from './data/create-masked-lm-masker';
export {
  type BertPairExample,
  type BuiltPairExample,
  createNextSentencePairBuilder,
  type NextSentencePairBuilder,
  type NextSentencePairOptions,
  type NextSentencePairResult,
  type NextSentencePairStatistics,
  type ResolvedNextSentencePairOptions,
  type Sentence,
  type SentenceDocument,
} from './data/create-next-sentence-pair-builder';
export { MASK_ACTION, type MaskAction } from './data/mask-action';
export { type MaskedLmSelection, maskedLmSelectionCount } from './data/masked-lm-selection-count';
export { NEXT_SENTENCE_LABEL, type NextSentenceLabel } from './data/next-sentence-label';
export { roundHalfEven } from './data/round-half-even';
// Tensor side
export type {
  BertHeadWeights,
  MaskedLmHeadWeights,
  NextSentenceHeadWeights,
} from './heads/create-bert-head-weights';
export type { MaskedLmScoring } from './heads/masked-lm-head';
