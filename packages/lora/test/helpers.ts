// Shared helpers of this package's tests.

import * as tf from '@tensorflow/tfjs-core';

export { expectInvalidArgument, thrownBy } from '@lm-objectives/test-utils';

/** The values of a tensor as a plain Float32Array copy. */
export function valuesOf(tensor: tf.Tensor): Float32Array {
  return Float32Array.from(tensor.dataSync() as Float32Array);
}

/** Largest |a − b| of two tensors. */
export function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Whether two Float32Arrays are bit-for-bit identical. */
export function bitIdentical(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const left = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const right = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return left.every((value, index) => value === right[index]);
}

/** A float32 tensor of the given shape with normal values from core's seeded source. */
export function seededNormal(
  random: { normal(mean?: number, std?: number): number },
  shape: number[],
  std = 1,
): tf.Tensor {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = random.normal(0, std);
  return tf.tensor(values, shape, 'float32');
}
