// Shared helpers of this package's tests.

import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Runs `action`, which must throw, and returns what it threw. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/** Asserts an InvalidArgumentError (or subclass) in the house format naming function and argument. */
export function expectInvalidArgument(
  action: () => unknown,
  functionName: string,
  argumentName: string,
  fragments: readonly string[] = [],
): InvalidArgumentError {
  const error = thrownBy(action);
  expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
  const invalid = error as InvalidArgumentError;
  expect(invalid.functionName).toBe(functionName);
  expect(invalid.argumentName).toBe(argumentName);
  expect(invalid.message).toContain(`${functionName}: argument '${argumentName}'`);
  expect(invalid.message).toContain('Expected ');
  expect(invalid.message).toContain('; received ');
  expect(invalid.message).toContain('Fix: ');
  for (const fragment of fragments) expect(invalid.message).toContain(fragment);
  return invalid;
}

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
