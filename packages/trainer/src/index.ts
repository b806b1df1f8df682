/**
 * `@lm-objectives/trainer`: a TensorFlow.js training loop for any lm-objectives `LossObjective`,
 * in Node and in browsers — gradient accumulation normalised by the window's counted tokens, AdamW
 * with decoupled weight decay, global-norm clipping, warmup schedules, a tensor-leak guard, exact
 * checkpoint/resume, a backend probe and a batch inspector. Node-only pieces (checkpoint files, the
 * terminal reporter) are in `@lm-objectives/trainer/node`.
 *
 * @packageDocumentation
 */

// Checkpoints
export {
  deleteCheckpointFromIndexedDb,
  type IndexedDbCheckpointLocation,
  loadCheckpointFromIndexedDb,
  type SaveCheckpointToIndexedDbOptions,
  saveCheckpointToIndexedDb,
} from './checkpoint/indexeddb-checkpoint-store';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointManifest,
  type CheckpointTensorEntry,
  type CheckpointTensorGroup,
  type TrainingCheckpoint,
} from './checkpoint/training-checkpoint';
// Errors
export { BackendProbeError, type BackendProblem } from './errors/backend-probe-error';
export { CheckpointSaveError, type CheckpointSaveFailure } from './errors/checkpoint-save-error';
export {
  type CheckpointCorruption,
  CorruptCheckpointError,
} from './errors/corrupt-checkpoint-error';
export { NonFiniteStepError } from './errors/non-finite-step-error';
export { type TensorLeak, TensorLeakError, type TensorLeakPhase } from './errors/tensor-leak-error';
export { TrainingAbortedError } from './errors/training-aborted-error';
// Batch inspector
export type {
  BatchExplanation,
  ExplainableObjective,
  ExplainedRow,
  ExplainedToken,
  ObjectiveBatchExplanation,
  RowExplanation,
  TokenAction,
  TokenExplanation,
} from './explain/batch-explanation';
export { type ExplainBatchOptions, explainBatch } from './explain/explain-batch';
export {
  type FormatBatchExplanationOptions,
  formatBatchExplanation,
} from './explain/format-batch-explanation';
export { summarizeAttention } from './explain/summarize-attention';
// Models
export {
  type FromLayersModelOptions,
  fromLayersModel,
  type LayersModelLike,
} from './model/from-layers-model';
export type { ModelInputs, TrainableModel } from './model/trainable-model';
// Optimizer
export {
  type AdamWOptimizer,
  type AdamWOptions,
  type AdamWState,
  createAdamW,
} from './optimizer/adamw';
export {
  type ClippedGradients,
  clipByGlobalNorm,
  globalNorm,
} from './optimizer/clip-by-global-norm';
export {
  defaultWeightDecayFilter,
  type WeightDecayCandidate,
  type WeightDecayFilter,
} from './optimizer/weight-decay-filter';
// Backend probe
export {
  type BackendProbeReport,
  type ProbeBackendInput,
  probeBackend,
} from './probe/probe-backend';
// Schedules
export {
  createLearningRateSchedule,
  type LearningRateDecay,
  type LearningRateSchedule,
  type LearningRateScheduleOptions,
} from './schedule/learning-rate-schedule';
// The step
export {
  type AccumulateGradientsInput,
  accumulateGradients,
  type WindowGradients,
  type WindowPart,
} from './step/accumulate-gradients';
export { windowCounts } from './step/window-counts';
// The trainer
export { createTrainer, type Trainer } from './trainer/create-trainer';
export type { EvaluationResult } from './trainer/evaluate-window';
export type {
  PartReport,
  StepResult,
  TrainingProgress,
  TrainingSummary,
} from './trainer/progress-event';
export type { LoadCheckpointOptions } from './trainer/restore-checkpoint';
export type { TrainOptions, WindowContext } from './trainer/run-training';
export type { TrainerOptions } from './trainer/trainer-options';
