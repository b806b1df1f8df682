import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { geluTanh } from './gelu-tanh';
import { layerNormalization } from './layer-normalization';

describeEachBackend('transformer building blocks', () => {
  it('geluTanh matches the formula at hand-computed points and its finite-difference slope', () => {
    // ½x(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated in float64.
    const reference = (x: number) =>
      0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    const points = [-3, -1, -0.5, 0, 0.5, 1, 3];
    const values = tf.tidy(() => geluTanh(tf.tensor1d(points)).dataSync());
    expectRelativelyClose(values, points.map(reference), 1e-6, 'gelu');
    expect(values[5]).toBeCloseTo(0.841192, 6);
    const slopes = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => tf.sum(geluTanh(x)))(tf.tensor1d(points))
        .dataSync(),
    );
    const step = 1e-4;
    const numeric = points.map((x) => (reference(x + step) - reference(x - step)) / (2 * step));
    expectRelativelyClose(slopes, numeric, 1e-4, 'gelu slope');
  });

  it('layerNormalization normalises each row over the last axis, then scales and shifts', () => {
    const output = tf.tidy(() =>
      layerNormalization(
        tf.tensor2d([
          [1, 2, 3, 4],
          [2, 2, 2, 2],
        ]),
        tf.tensor1d([1, 2, 1, 1]),
        tf.tensor1d([0, 0, 1, 0]),
        1e-12,
      ).dataSync(),
    );
    // Row 1: mean 2.5, biased variance 1.25; row 2 is constant, so (x − μ) = 0 and y = β.
    const s = Math.sqrt(1.25);
    expectRelativelyClose(
      output,
      [-1.5 / s, (2 * -0.5) / s, 0.5 / s + 1, 1.5 / s, 0, 0, 1, 0],
      1e-6,
    );
  });
});
