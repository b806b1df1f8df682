/**
 * `@lm-objectives/core`: the `LossObjective` contract, typed errors, seeded randomness and the
 * tensor utilities every lm-objectives plugin shares.
 *
 * @packageDocumentation
 */
// biome-ignore-all assist/source/organizeImports: the exports are grouped by concept, in reading order

// The contract (specification v1)
export type {
  ObjectiveBatchExplanation,
  RowExplanation,
  TokenAction,
  TokenExplanation,
} from './spec/batch-explanation';
export type {
  BatchField,
  BatchFieldArrays,
  BatchFieldDtype,
  BatchFieldSpec,
} from './spec/batch-field';
export { batchToTensors, fieldToTensor } from './spec/batch-to-tensors';
export { checkBatch } from './spec/check-batch';
export {
  defineObjective,
  OBJECTIVE_ID_PATTERN,
  type ObjectiveDefinition,
} from './spec/define-objective';
export type {
  ComputeLossInput,
  CreateBatchOptions,
  LossObjective,
  LossObjectiveV1,
  ObjectiveLossResult,
} from './spec/loss-objective-v1';
export {
  type HiddenStateScores,
  isHiddenStateScores,
  type LogitScores,
  type OutputProjection,
  type ProjectionLayout,
  type TokenScores,
} from './spec/model-outputs';
export type { ObjectiveBatchV1 } from './spec/objective-batch';
export {
  createObjectiveRegistry,
  defaultObjectiveRegistry,
  getObjective,
  hasObjective,
  listObjectives,
  type ObjectiveRegistry,
  registerObjective,
  resolveObjective,
  unregisterObjective,
} from './spec/objective-registry';
export {
  type SpecificationVersion,
  SUPPORTED_SPECIFICATION_VERSIONS,
} from './spec/specification-version';
export type { TokenLoss } from './spec/token-loss';

// Errors
export {
  type ArgumentProblem,
  DuplicateObjectiveError,
  describeValue,
  formatArgumentProblem,
  InvalidArgumentError,
  LmObjectivesError,
  ObjectiveNotFoundError,
  ShapeMismatchError,
  UnsupportedSpecificationVersionError,
  withArticle,
} from './errors/index';

// Argument validation, for plugins that want the same typed, actionable errors
export { resolveIgnoreIndex } from './internal/check-ignore-index';
export { checkOptionKeys } from './internal/check-options';
export {
  type ArgumentSite,
  checkBoolean,
  checkNumberInRange,
  checkOneOf,
  checkTensor,
  formatShape,
  isTensor,
  sameShape,
} from './internal/validate';

// Randomness
export { createRng, createRngFromState } from './random/create-rng';
export type { RandomSource } from './random/random-source';

// Tensor utilities
export {
  causalAttentionBias,
  combineAttentionBiases,
  MASKED_ATTENTION_BIAS,
  paddingAttentionBias,
  prefixLmAttentionBias,
} from './ops/attention-masks';
export { causalShift } from './ops/causal-shift';
export { type CrossEntropyOptions, crossEntropy } from './ops/cross-entropy';
export { type EmbeddingLookupOptions, embeddingLookup } from './ops/embedding-lookup';
export { gatherPositions } from './ops/gather-positions';
export { geluExact } from './ops/gelu-exact';
export { geluTanh } from './ops/gelu-tanh';
export { IGNORE_INDEX } from './ops/ignore-index';
export type { TokenLossOptions, TokenLossReduction } from './ops/internal/token-loss-options';
export type { LabelsInput, WeightsInput } from './ops/internal/token-targets';
export { layerNormalization } from './ops/layer-normalization';
export { linear } from './ops/linear';
export {
  DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
  type LinearCrossEntropyOptions,
  linearCrossEntropy,
} from './ops/linear-cross-entropy';
export { type TokenAccuracy, tokenAccuracy } from './ops/token-accuracy';
export { tokenCrossEntropy } from './ops/token-cross-entropy';
