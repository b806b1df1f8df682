// The demo's training tasks, shared by the CLI (Node) and the browser demo (a Web Worker): no
// `node:*` imports, no `process`, no files — the caller passes the parsed corpus and tokenizer.
export { BERT_TASK_DEFAULTS, createBertTask } from './bert-task';
export { CAUSAL_TASK_DEFAULTS, type CausalTask, createCausalTask } from './causal-task';
export { completePrompts, exactMatches, type PromptPair } from './complete-prompts';
export type {
  BertTaskExplanation,
  ConditionalTaskExplanation,
  DemoTask,
  DemoTaskId,
  DemoTaskOptions,
  GlmBlankExplanation,
  GlmTaskExplanation,
  SamplePrediction,
  TaskExplanation,
  TaskParameterCounts,
  TaskTrainOptions,
} from './demo-task';
export { type EncodedCorpus, type EncodedDocument, encodeCorpus } from './encode-corpus';
export {
  createFineTuningData,
  type FineTuningData,
  type FineTuningTask,
  type FineTuningTaskOptions,
} from './fine-tuning-data';
export { createGlmTask, GLM_TASK_DEFAULTS } from './glm-task';
export {
  createLoraTask,
  LORA_TASK_DEFAULTS,
  type LoraTask,
  type LoraTaskOptions,
} from './lora-task';
export {
  createPrefixTask,
  PREFIX_TASK_DEFAULTS,
  type PrefixTask,
  type PrefixTaskOptions,
} from './prefix-task';
