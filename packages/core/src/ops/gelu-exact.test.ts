import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { geluExact } from './gelu-exact';
import { geluTanh } from './gelu-tanh';

// x Φ(x) and Φ(x) + x φ(x) from tabulated values of the standard normal distribution
// (Φ(0.5) = 0.6914624613, Φ(1) = 0.8413447461, Φ(2) = 0.9772498681, Φ(3) = 0.9986501020;
// φ(0.5) = 0.3520653268, φ(1) = 0.2419707245, φ(2) = 0.0539909665, φ(3) = 0.0044318484).
const POINTS = [-3, -1, 0, 0.5, 1, 2];
const VALUES = [-0.004049693905, -0.1586552539, 0, 0.3457312306, 0.8413447461, 1.954499736];
const SLOPES = [-0.01194564319, -0.08331547844, 0.5, 0.8674951247, 1.083315471, 1.085231801];

describeEachBackend('geluExact', () => {
  it('equals x Φ(x) at tabulated points, within float32 rounding', () => {
    const values = tf.tidy(() => geluExact(tf.tensor1d(POINTS)).dataSync());
    for (let index = 0; index < POINTS.length; index++) {
      expect(Math.abs(values[index]! - VALUES[index]!)).toBeLessThan(
        2e-7 + 1e-6 * Math.abs(VALUES[index]!),
      );
    }
  });

  it('has the gradient Φ(x) + x φ(x)', () => {
    const slopes = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(geluExact(x)))(tf.tensor1d(POINTS))
        .dataSync(),
    );
    for (let index = 0; index < POINTS.length; index++) {
      expect(Math.abs(slopes[index]! - SLOPES[index]!)).toBeLessThan(1e-6);
    }
  });

  it('differs from the tanh approximation by up to about 5e-4 (so the choice matters for 1e-4 checks)', () => {
    const grid = Array.from({ length: 121 }, (_, index) => -6 + index * 0.1);
    const [exact, approximate] = tf.tidy(() => [
      Array.from(geluExact(tf.tensor1d(grid)).dataSync()),
      Array.from(geluTanh(tf.tensor1d(grid)).dataSync()),
    ]);
    const largest = Math.max(
      ...exact!.map((value, index) => Math.abs(value - approximate![index]!)),
    );
    expect(largest).toBeGreaterThan(1e-4);
    expect(largest).toBeLessThan(1e-3);
    expectRelativelyClose(exact!, approximate!, 1e-2);
  });
});
