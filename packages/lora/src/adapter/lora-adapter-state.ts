import type { RandomSource } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/** What one adapter's operations read and change: its weights, its settings and its merge state. */
export interface LoraAdapterState {
  readonly name: string;
  /** The frozen base kernel $W$ `[in, out]`, which merging writes into. */
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | undefined;
  /** $A$ `[in, r]`. */
  readonly a: tf.Variable;
  /** $B$ `[r, out]`. */
  readonly b: tf.Variable;
  readonly inputSize: number;
  readonly outputSize: number;
  /** $s = \alpha/r$ or $\alpha/\sqrt r$. */
  readonly scaling: number;
  readonly dropout: number;
  /** Draws the dropout masks. */
  readonly random: RandomSource;
  /** Whether $s\,AB$ is currently added into `kernel`. */
  merged: boolean;
  disposed: boolean;
}
