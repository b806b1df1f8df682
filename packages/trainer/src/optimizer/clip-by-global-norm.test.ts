import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { clipByGlobalNorm, globalNorm } from './clip-by-global-norm';

/** The reference: the Euclidean norm of every entry of every array, in float64. */
function referenceNorm(arrays: readonly number[][]): number {
  return Math.sqrt(arrays.flat().reduce((sum, value) => sum + value * value, 0));
}

describeEachBackend('clipByGlobalNorm', () => {
  const values = [
    [3, -4, 12, 0.5, -0.25, 7],
    [1, 2, -2],
    [-6, 0.125],
  ];

  it('measures the global norm of all gradients together, against a float64 reference', () => {
    const gradients: (tf.Tensor | null)[] = [
      tf.tensor2d(values[0]!, [2, 3]),
      tf.tensor1d(values[1]!),
      null,
      tf.tensor2d(values[2]!, [1, 2]),
    ];
    const norm = globalNorm(gradients);
    expectRelativelyClose(norm.dataSync(), [referenceNorm(values)], 1e-7, 'global norm');
    norm.dispose();
    tf.dispose(gradients.filter((gradient): gradient is tf.Tensor => gradient != null));
  });

  it('scales every gradient by c / (norm + 1e-6) when the norm exceeds c, as PyTorch does', () => {
    const gradients: (tf.Tensor | null)[] = [
      tf.tensor2d(values[0]!, [2, 3]),
      null,
      tf.tensor1d(values[1]!),
    ];
    const reference = referenceNorm([values[0]!, values[1]!]);
    const { gradients: clipped, norm } = clipByGlobalNorm(gradients, 1);
    const scale = 1 / (reference + 1e-6);
    expectRelativelyClose(
      clipped[0]!.dataSync(),
      values[0]!.map((value) => value * scale),
      1e-6,
    );
    expect(clipped[1]).toBeNull();
    expectRelativelyClose(
      clipped[2]!.dataSync(),
      values[1]!.map((value) => value * scale),
      1e-6,
    );
    const clippedNorm = globalNorm(clipped);
    expect(clippedNorm.dataSync()[0]).toBeCloseTo(1, 5);
    expectRelativelyClose(norm.dataSync(), [reference], 1e-7);
    tf.dispose(
      [norm, clippedNorm, ...gradients, ...clipped].filter((t): t is tf.Tensor => t != null),
    );
  });

  it('leaves gradients below the threshold unchanged, and Infinity only measures', () => {
    const gradient = tf.tensor1d([0.3, -0.4]);
    for (const maxNorm of [1, Number.POSITIVE_INFINITY]) {
      const { gradients, norm } = clipByGlobalNorm([gradient], maxNorm);
      expectRelativelyClose(gradients[0]!.dataSync(), [0.3, -0.4], 1e-7);
      expect(norm.dataSync()[0]).toBeCloseTo(0.5, 6);
      tf.dispose([gradients[0]!, norm]);
    }
    gradient.dispose();
  });

  it('gives a norm of 0 for no gradients and refuses a non-positive threshold', () => {
    const norm = globalNorm([null]);
    expect(norm.dataSync()[0]).toBe(0);
    norm.dispose();
    expect(() => clipByGlobalNorm([], 0)).toThrow(
      /clipByGlobalNorm: argument 'maxNorm' is invalid. Expected a number > 0/,
    );
  });
});
