/**
 * `@lm-objectives/prefix`: prefix tuning for TensorFlow.js — a trainable per-layer key/value prefix
 * (with or without the reparameterising MLP) for a frozen Transformer, a trainer adapter so any
 * objective (e.g. `@lm-objectives/lora`'s conditional objective) trains it through
 * `@lm-objectives/trainer`, and export/load of the projected prefixes for inference.
 *
 * @packageDocumentation
 */

// Checkpoints
export {
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
} from './checkpoint/encode-prefix-checkpoint';
export { exportPrefix } from './checkpoint/export-prefix';
export { type LoadedPrefix, type LoadPrefixOptions, loadPrefix } from './checkpoint/load-prefix';
export {
  PREFIX_CHECKPOINT_FORMAT,
  PREFIX_CHECKPOINT_VERSION,
  PREFIX_LAYOUT,
  type PrefixCheckpoint,
  type PrefixCheckpointMetadata,
} from './checkpoint/prefix-checkpoint';
// The prefix
export {
  createPrefixEncoder,
  type PrefixEncoder,
  type PrefixEncoderWeightName,
} from './encoder/create-prefix-encoder';
export { type PrefixKeyValues, prefixKeyValuesFromProjection } from './encoder/prefix-key-values';
export {
  keyValueWidth,
  type PrefixModelSizes,
  prefixWidth,
  type ResolvedPrefixModelSizes,
} from './encoder/prefix-model-sizes';
export type { PrefixSource } from './encoder/prefix-source';
export type {
  PrefixTuningOptions,
  ResolvedPrefixTuningOptions,
} from './encoder/prefix-tuning-options';
// Models
export { applyWithPrefix } from './integration/apply-with-prefix';
export {
  createPrefixTrainableModel,
  type PrefixModelInputs,
  type PrefixTrainableModel,
  type PrefixTrainableModelOptions,
} from './integration/create-prefix-trainable-model';
export type { PrefixableInputs, PrefixableModel } from './integration/prefixable-model';
