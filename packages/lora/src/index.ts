/**
 * `@lm-objectives/lora`: LoRA adapters for TensorFlow.js models and the conditional
 * (completion-only) language-model objective. The `tf.layers` integration lives in the
 * `@lm-objectives/lora/layers` entry point, so that hand-written models never load
 * `@tensorflow/tfjs-layers`.
 *
 * @packageDocumentation
 */

// Adapters
export { type CreateLoraAdapterOptions, createLoraAdapter } from './adapter/create-lora-adapter';
export {
  type CreateLoraAdaptersOptions,
  createLoraAdapters,
  type LinearWeights,
  type LoraLinearSet,
} from './adapter/create-lora-adapters';
// Several named adapters, and the dry run of targeting
export {
  createNamedLoraAdapters,
  type NamedLoraAdapters,
} from './adapter/create-named-lora-adapters';
export { isLoraAdapter, type LoraAdapter, type LoraApplyOptions } from './adapter/lora-adapter';
export type { LoraAdapterSet } from './adapter/lora-adapter-set';
export {
  LORA_DEFAULTS,
  type LoraInitialization,
  type LoraOptions,
  type ResolvedLoraOptions,
} from './adapter/lora-options';
export type { LoraParameterReport } from './adapter/lora-parameter-report';
export { loraScaling } from './adapter/lora-scaling';
export {
  DEFAULT_TARGET_TOKENS,
  isDefaultLoraTarget,
  isOutputHeadName,
  type LoraTargets,
  matchesLoraTargets,
  OUTPUT_HEAD_TOKENS,
} from './adapter/lora-targets';
export type { NamedLoraAdapterOptions } from './adapter/named-lora-adapters-state';
export {
  type LinearShape,
  type LoraPlannedTarget,
  type LoraTargetPlan,
  type PlanLoraTargetsOptions,
  planLoraTargets,
} from './adapter/plan-lora-targets';
// Adapter checkpoints
export { decodeLoraCheckpoint, encodeLoraCheckpoint } from './checkpoint/encode-lora-checkpoint';
export {
  type LoadLoraAdaptersOptions,
  loadLoraAdapters,
  loraOptionsFromCheckpoint,
} from './checkpoint/load-lora-adapters';
export {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  LORA_LAYOUT,
  type LoraCheckpoint,
  type LoraCheckpointMetadata,
  type LoraCheckpointTarget,
  type LoraTargetWeights,
} from './checkpoint/lora-checkpoint';
export { saveLoraAdapters } from './checkpoint/save-lora-adapters';
// The conditional objective
export {
  type ChatExample,
  type ChatTurn,
  type ConditionalExample,
  isChatExample,
  type MaskingStrategy,
  type PromptCompletionExample,
} from './conditional-lm/conditional-example';
export {
  CONDITIONAL_LM_BATCH_FIELDS,
  CONDITIONAL_TOKEN_ACTION,
  type ConditionalLmBatch,
  type ConditionalLmFieldName,
  type ConditionalLmPartName,
  type ConditionalTokenAction,
  type RowExample,
} from './conditional-lm/conditional-lm-batch';
export type {
  ConditionalLmObjectiveOptions,
  ConditionalLmOptions,
  PaddingStrategy,
  ResolvedConditionalLmOptions,
  TruncationSide,
} from './conditional-lm/conditional-lm-options';
export {
  CONDITIONAL_LM_OBJECTIVE_ID,
  type ConditionalLmObjective,
  createConditionalLmObjective,
} from './conditional-lm/create-conditional-lm-objective';
export { createConditionalLmBatch } from './conditional-lm/data/create-conditional-lm-batch';
export { packedCausalAttentionBiasValues } from './conditional-lm/data/packed-causal-attention-bias-values';
export { packedCausalAttentionBias } from './conditional-lm/packed-causal-attention-bias';
// Moving adapters to and from Python (PEFT)
export {
  type ExportPeftAdapterOptions,
  exportPeftAdapter,
  type PeftAdapterFiles,
} from './peft/export-peft-adapter';
export { type LoadPeftAdapterOptions, loadPeftAdapter } from './peft/load-peft-adapter';
export {
  type PeftConfigWarning,
  type PeftLoraConfig,
  parsePeftLoraConfig,
} from './peft/peft-config';
export {
  type PeftModuleNamePreset,
  type PeftModuleNames,
  peftModulePath,
} from './peft/peft-module-names';
export { PEFT_KEY_PREFIX, peftWeightKeys } from './peft/peft-weight-keys';
export { loraOptionsFromPeft, type PeftAdapter, readPeftAdapter } from './peft/read-peft-adapter';
