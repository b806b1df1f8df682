/** The `format` string every trainer checkpoint carries. */
export const CHECKPOINT_FORMAT = 'lm-objectives/trainer-checkpoint';

/** The checkpoint layout version this package writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** What a stored tensor is. */
export type CheckpointTensorGroup = 'model' | 'objective' | 'first-moment' | 'second-moment';

/** One tensor of a checkpoint (its values are in {@link TrainingCheckpoint.arrays}, same index). */
export interface CheckpointTensorEntry {
  /** `model` / `objective` weights, or AdamW's `first-moment` / `second-moment` of a trained variable. */
  readonly group: CheckpointTensorGroup;
  /** For weights: the index in the owner's variable list; for moments: the index of the trained variable. */
  readonly index: number;
  /** The variable's name when saved (informative: tfjs generates names, so loads match by position). */
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
}

/** Everything but the tensor values: plain JSON. */
export interface CheckpointManifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  /** The objective the run trained. */
  readonly objectiveId: string;
  /** Completed optimizer steps; also the learning-rate schedule's position. */
  readonly step: number;
  /** The trainer's random source (`getState()`), so the next batches are the same as without stopping. */
  readonly randomState: readonly [number, number, number, number];
  /** AdamW's hyper-parameters and per-variable update counts $t_i$. */
  readonly optimizer: {
    readonly kind: 'adamw';
    readonly steps: readonly number[];
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    readonly weightDecay: number;
  };
  /** The clipping threshold the run used (`null`: no clipping). */
  readonly maxGradientNorm: number | null;
  /** The stored tensors, in order. */
  readonly tensors: readonly CheckpointTensorEntry[];
  /** The caller's JSON (e.g. a data cursor or the run's configuration). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * A complete training state in memory: weights, optimizer moments and counters, step, schedule
 * position and random state. Save it with a store (`saveCheckpointToIndexedDb`, or
 * `saveCheckpointToDirectory` from `@lm-objectives/trainer/node`) and load it into a trainer built
 * the same way to continue exactly where the run stopped. Treat the arrays as read-only: tfjs may
 * share them with live tensors.
 */
export interface TrainingCheckpoint {
  readonly manifest: CheckpointManifest;
  /** The values of `manifest.tensors[i]`, row-major. */
  readonly arrays: readonly (Float32Array | Int32Array)[];
}
