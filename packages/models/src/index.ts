/**
 * `@lm-objectives/models`: small, readable TensorFlow.js Transformer models — a BERT encoder, a GLM
 * encoder and a causal decoder — built on core's wasm-fast `linear` and `embeddingLookup`, with
 * every linear reachable by a stable name for adapters, save/load of weights and parameter counts.
 *
 * @packageDocumentation
 */

// GELU (tanh) and LayerNorm live in @lm-objectives/core, shared with the objectives' heads.
export { geluExact, geluTanh, layerNormalization } from '@lm-objectives/core';
export type { HuggingFaceArchitecture } from './hugging-face/architecture-layout';
export type { ByteSource, CheckpointBytes } from './hugging-face/checkpoint-source';
export {
  countHuggingFaceParameters,
  type HuggingFaceParameterCount,
} from './hugging-face/count-hugging-face-parameters';
export {
  type BertHeadWeightsLike,
  type ExportHuggingFaceOptions,
  exportHuggingFaceModel,
  type HuggingFaceModelFiles,
} from './hugging-face/export-hugging-face-model';
export { huggingFaceModuleNames } from './hugging-face/hugging-face-module-names';
export {
  type HuggingFaceCheckpoint,
  type ImportedHuggingFaceModel,
  type ImportHuggingFaceOptions,
  importHuggingFaceModel,
} from './hugging-face/import-hugging-face-model';
export type { LayerKeyValues } from './layers/multi-head-attention';
export { rmsNormalization } from './layers/rms-normalization';
export type { BertMaskedLmScores } from './models/bert-pre-training-heads';
export {
  type BertEncoder,
  type BertEncoderConfig,
  type BertEncoderInputs,
  type BertEncoderOutputs,
  createBertEncoder,
  type ResolvedBertEncoderConfig,
} from './models/create-bert-encoder';
export {
  type CausalDecoder,
  type CausalDecoderConfig,
  type CausalDecoderInputs,
  createCausalDecoder,
} from './models/create-causal-decoder';
export {
  createGlmEncoder,
  type GlmEncoder,
  type GlmEncoderConfig,
  type GlmEncoderInputs,
  type ResolvedGlmEncoderConfig,
} from './models/create-glm-encoder';
export {
  createLlamaDecoder,
  type LlamaDecoder,
  type LlamaDecoderConfig,
  type ResolvedLlamaDecoderConfig,
} from './models/create-llama-decoder';
export { projectToVocabulary } from './models/project-to-vocabulary';
export type {
  GeluActivation,
  NormalizationPlacement,
  ResolvedTransformerConfig,
  TransformerConfig,
} from './models/transformer-config';
export type {
  CommonInputs,
  ForwardOptions,
  ModelKind,
  TransformerModel,
  TransformerOutputs,
} from './models/transformer-model';
export { splitPrefixKeyValues } from './prefix/split-prefix-key-values';
export type { LinearWrapper, NamedLinear } from './weights/named-linear';
export type { ParameterCounts } from './weights/parameter-counts';
export {
  decodeWeights,
  type EncodedWeights,
  encodeWeights,
  type WeightEntry,
  type WeightMap,
} from './weights/weight-map';
