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
} from './contract/v1/batch-explanation';
export type {
  BatchField,
  BatchFieldArrays,
  BatchFieldDtype,
  BatchFieldSpec,
} from './contract/v1/batch-field';
export { batchToTensors, fieldToTensor } from './contract/v1/batch-to-tensors';
export { checkBatch } from './contract/v1/check-batch';
export { IGNORE_INDEX } from './contract/v1/ignore-index';
export {
  defineObjective,
  OBJECTIVE_ID_PATTERN,
  type ObjectiveDefinition,
} from './contract/v1/define-objective';
export type {
  ComputeLossInput,
  CreateBatchOptions,
  LossObjective,
  LossObjectiveV1,
  ObjectiveLossResult,
} from './contract/v1/loss-objective-v1';
export {
  type HiddenStateScores,
  isHiddenStateScores,
  type LogitScores,
  type OutputProjection,
  type ProjectionLayout,
  type TokenScores,
} from './contract/v1/model-outputs';
export type { ObjectiveBatchV1 } from './contract/v1/objective-batch';
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
} from './contract/v1/objective-registry';
export {
  type SpecificationVersion,
  SUPPORTED_SPECIFICATION_VERSIONS,
} from './contract/v1/specification-version';
export type { TokenLoss } from './contract/v1/token-loss';

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

// The validation kit: typed, actionable argument checks for core and every plugin
export type { ArgumentSite } from './validation/argument-site';
export { checkBinaryMask } from './validation/check-binary-mask';
export { checkBoolean } from './validation/check-boolean';
export { checkDistinctTokenIds } from './validation/check-distinct-token-ids';
export { checkFiniteNumber } from './validation/check-finite-number';
export { checkInteger, checkPositiveInteger } from './validation/check-integer';
export { checkNumberInRange, type NumberRange } from './validation/check-number-in-range';
export { checkOneOf } from './validation/check-one-of';
export { checkOptionKeys } from './validation/check-option-keys';
export { checkOptionsObject } from './validation/check-options-object';
export { checkProbability } from './validation/check-probability';
export { checkRandomSource } from './validation/check-random-source';
export { checkRatio } from './validation/check-ratio';
export {
  checkTensor,
  type ShapeSpec,
  type TensorRequirements,
} from './validation/check-tensor';
export { checkTokenId } from './validation/check-token-id';
export { checkTokenIdRows } from './validation/check-token-id-rows';
export { checkTokenIds, type TokenIdRequirements } from './validation/check-token-ids';
export { checkVariable } from './validation/check-variable';
export type { DimensionSizes } from './validation/dimension-sizes';
export { formatShape, sameShape } from './validation/format-shape';
export { isTensor, isVariable } from './validation/is-tensor';
export { resolveIgnoreIndex } from './validation/resolve-ignore-index';
export { suggestClosest } from './validation/suggest-closest';
export { tidyResult } from './validation/tidy-result';

// Randomness
export { createRng, createRngFromState } from './random/create-rng';
export type { RandomSource } from './random/random-source';
export { truncatedNormalValues } from './random/truncated-normal-values';

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
export { gatherFlatRows } from './ops/gather-flat-rows';
export { gatherPositions } from './ops/gather-positions';
export { geluExact } from './ops/gelu-exact';
export { geluTanh } from './ops/gelu-tanh';
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
