import type { RandomSource } from '@lm-objectives/core';

/** `size` draws of $\mathcal N(0, \mathrm{std}^2)$ (the data side: no tensors). */
export function normalValues(random: RandomSource, size: number, std: number): Float32Array {
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = random.normal(0, std);
  return values;
}

/**
 * `size` draws of $U(-\mathrm{bound}, +\mathrm{bound})$: with $\mathrm{bound} = 1/\sqrt{\mathrm{fanIn}}$,
 * the initialisation PyTorch gives `nn.Linear` kernels and biases (which the reference prefix
 * encoder inherits).
 */
export function uniformValues(random: RandomSource, size: number, bound: number): Float32Array {
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = (2 * random.uniform() - 1) * bound;
  return values;
}
