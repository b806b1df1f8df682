import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.tensor-leak';
const symbol = Symbol.for(marker);

/** Where in a training step the tensors appeared. */
export type TensorLeakPhase =
  /** Inside the forward and backward pass: the model function or the objective kept tensors. */
  | 'model-or-objective'
  /** After the gradients: clipping, the optimizer update, or anything else in the step. */
  | 'update';

/** The facts a {@link TensorLeakError} reports. */
export interface TensorLeak {
  /** The training step (1-based) that leaked. */
  readonly step: number;
  /** Where the growth appeared. */
  readonly phase: TensorLeakPhase;
  /** `tf.memory().numTensors` when the step started. */
  readonly tensorsBefore: number;
  /** `tf.memory().numTensors` once every tensor the step owns is freed: `tensorsBefore` plus the growth. */
  readonly tensorsAfter: number;
  /** `tf.memory().numBytes` growth over the step. */
  readonly bytesGrowth: number;
}

/**
 * A training step ended with more tensors alive than it started with: $\Delta = $
 * `tensorsAfter − tensorsBefore` $> 0$. Left alone, such a leak grows by $\Delta$ tensors every
 * step until the page or the process runs out of memory; the trainer stops at the first step
 * instead, naming the growth and where it happened. A growth in the forward/backward pass or in
 * clipping is found before the update: the step is then neither applied nor counted.
 */
export class TensorLeakError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly step: number;
  readonly phase: TensorLeakPhase;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** The number of tensors leaked by the step. */
  readonly growth: number;
  readonly bytesGrowth: number;

  constructor(leak: TensorLeak) {
    const growth = leak.tensorsAfter - leak.tensorsBefore;
    const where =
      leak.phase === 'model-or-objective'
        ? 'inside the forward/backward pass: the model function or the objective keeps tensors alive (tf.keep, a tf.variable created on every call, or tensors stored across calls)'
        : 'after the gradients were computed (clipping, the optimizer update or a callback)';
    super(
      `trainStep: step ${leak.step} leaked ${growth} tensor${growth === 1 ? '' : 's'} (${leak.bytesGrowth} bytes): tf.memory().numTensors went from ${leak.tensorsBefore} to ${leak.tensorsAfter}, ${where}. At this rate the run gains ${growth * 1000} tensors every 1000 steps. Fix: return new tensors only through the outputs, create variables once outside the model function, and free cached tensors; pass leakGuard: 'warn' or 'off' only if the growth is intended.`,
    );
    this.name = 'TensorLeakError';
    this.step = leak.step;
    this.phase = leak.phase;
    this.tensorsBefore = leak.tensorsBefore;
    this.tensorsAfter = leak.tensorsAfter;
    this.growth = growth;
    this.bytesGrowth = leak.bytesGrowth;
  }

  /** Whether `error` is a {@link TensorLeakError} from any copy of this package. */
  static override isInstance(error: unknown): error is TensorLeakError {
    return hasMarker(error, marker);
  }
}
