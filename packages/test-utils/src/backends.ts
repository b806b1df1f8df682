import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';

/** The backends every tensor suite runs on. */
export const TEST_BACKENDS = ['cpu', 'wasm'] as const;

export type TestBackend = (typeof TEST_BACKENDS)[number];

/**
 * Declares `body` once per backend in {@link TEST_BACKENDS}, switching backend before the suite,
 * and asserting after every test that it left no tensor behind (`tf.memory().numTensors` is the
 * same before and after, backward passes included).
 */
export function describeEachBackend(name: string, body: (backend: TestBackend) => void): void {
  for (const backend of TEST_BACKENDS) {
    describe(`${name} [${backend}]`, () => {
      let tensorsBefore = 0;
      beforeAll(async () => {
        const ok = await tf.setBackend(backend);
        if (!ok) throw new Error(`the ${backend} backend failed to initialise`);
        await tf.ready();
      });
      beforeEach(() => {
        tensorsBefore = tf.memory().numTensors;
      });
      afterEach(() => {
        expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(tensorsBefore);
      });
      body(backend);
    });
  }
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < actual.length; index++) {
    const difference = Math.abs((actual[index] as number) - (expected[index] as number));
    if (!(difference <= worst)) worst = difference; // NaN propagates as a failure
  }
  return worst;
}

/** Largest absolute value of an array (at least `floor`, so that all-zero arrays compare absolutely). */
export function maxAbs(values: ArrayLike<number>, floor = 0): number {
  let largest = floor;
  for (let index = 0; index < values.length; index++) {
    largest = Math.max(largest, Math.abs(values[index] as number));
  }
  return largest;
}

/**
 * Asserts `max|actual − expected| ≤ tolerance · max(|expected|, 1e-30)`: an error relative to the
 * largest expected magnitude, which is meaningful for whole gradient tensors whose entries can be
 * tiny (a vocabulary of 32000 spreads the gradient thin).
 */
export function expectRelativelyClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = 'values',
): void {
  const scale = maxAbs(expected, 1e-30);
  const error = maxAbsDifference(actual, expected) / scale;
  expect(error, `${what}: max error relative to max |expected| (${scale})`).toBeLessThanOrEqual(
    tolerance,
  );
}
