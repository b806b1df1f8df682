import type { RandomSource } from '@lm-objectives/core';
import type { LoraInitialization } from './lora-options';

/**
 * Initial values of the down-projection $A$ `[in, r]`, row-major: $U(\pm 1/\sqrt{\mathrm{in}})$
 * for `'uniform'`, $\mathcal{N}(0, (1/r)^2)$ for `'gaussian'`. Drawn on the data side from the seeded
 * source so that a seed gives the same adapter on every backend.
 */
export function initialDownProjection(
  random: RandomSource,
  inputSize: number,
  rank: number,
  initialization: LoraInitialization,
): Float32Array {
  const values = new Float32Array(inputSize * rank);
  if (initialization === 'gaussian') {
    const std = 1 / rank;
    for (let index = 0; index < values.length; index++) values[index] = random.normal(0, std);
  } else {
    const bound = 1 / Math.sqrt(inputSize);
    for (let index = 0; index < values.length; index++) {
      values[index] = (2 * random.uniform() - 1) * bound;
    }
  }
  return values;
}

/**
 * An inverted-dropout mask of `size` elements: 0 with probability `rate`, otherwise
 * $1/(1-\mathrm{rate})$, so that the expected value of the masked input equals the input.
 */
export function dropoutMask(random: RandomSource, size: number, rate: number): Float32Array {
  const mask = new Float32Array(size);
  const kept = 1 / (1 - rate);
  for (let index = 0; index < size; index++) mask[index] = random.uniform() < rate ? 0 : kept;
  return mask;
}
