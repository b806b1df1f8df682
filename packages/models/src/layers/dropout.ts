import type { RandomSource } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Inverted dropout with a mask drawn from a seeded {@link RandomSource}: each element is kept with
 * probability $1 - p$ and scaled by $1/(1-p)$, so the expected value is unchanged and evaluation
 * needs no rescaling. The mask is drawn on the CPU (one `uniform()` per element, in row-major
 * order), so the same seed gives the same mask on every backend — `tf.dropout`'s own seed does not.
 *
 * @param rate $p \in [0, 1)$; `0` returns a copy of `x` without drawing anything.
 * @returns float32 of `x`'s shape; the caller owns it.
 */
export function dropout(x: tf.Tensor, rate: number, random: RandomSource): tf.Tensor {
  if (rate === 0) return tf.clone(x);
  const scale = 1 / (1 - rate);
  const mask = new Float32Array(x.size);
  for (let index = 0; index < mask.length; index++) {
    mask[index] = random.uniform() < rate ? 0 : scale;
  }
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32')));
}
