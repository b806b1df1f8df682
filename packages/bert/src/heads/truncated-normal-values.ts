import type { RandomSource } from '@lm-objectives/core';

/**
 * `count` samples of a normal distribution $\mathcal{N}(0, \sigma^2)$ truncated to
 * $[-2\sigma, 2\sigma]$ by redrawing (TensorFlow's `truncated_normal`, BERT's initialiser with
 * $\sigma = 0.02$), drawn from `random` so that a seed fixes them on every platform.
 */
export function truncatedNormalValues(
  random: RandomSource,
  count: number,
  std: number,
): Float32Array {
  const values = new Float32Array(count);
  const bound = 2 * std;
  for (let index = 0; index < count; index++) {
    let value = random.normal(0, std);
    while (Math.abs(value) > bound) value = random.normal(0, std);
    values[index] = value;
  }
  return values;
}
