import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { createRng } from '../random/create-rng';
import { gatherPositions } from './gather-positions';

/** `[B, L, H]` hidden states whose entry `[b, l, h]` is `100·b + 10·l + h`. */
function recognisableHidden(batchSize: number, length: number, hiddenSize: number): tf.Tensor3D {
  const values: number[] = [];
  for (let row = 0; row < batchSize; row++) {
    for (let position = 0; position < length; position++) {
      for (let unit = 0; unit < hiddenSize; unit++) values.push(100 * row + 10 * position + unit);
    }
  }
  return tf.tensor3d(values, [batchSize, length, hiddenSize]);
}

function normalValues(seed: number, count: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** The error `call` throws (failing the test if it does not throw). */
function errorThrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describeEachBackend('gatherPositions', () => {
  it('returns hidden[b, positions[b, p], :] for every batch row and slot', () => {
    const hidden = recognisableHidden(2, 4, 3);
    const positions = tf.tensor2d(
      [
        [3, 0, 3],
        [1, 2, 0],
      ],
      [2, 3],
      'int32',
    );
    const gathered = gatherPositions(hidden, positions);
    expect(gathered.shape).toEqual([2, 3, 3]);
    expect(gathered.dtype).toBe('float32');
    expect(gathered.arraySync()).toEqual([
      [
        [30, 31, 32],
        [0, 1, 2],
        [30, 31, 32],
      ],
      [
        [110, 111, 112],
        [120, 121, 122],
        [100, 101, 102],
      ],
    ]);
    tf.dispose([hidden, positions, gathered]);
  });

  it('reads each batch row from its own sequence (never from another row)', () => {
    const hidden = recognisableHidden(3, 2, 1);
    const positions = tf.tensor2d([[1], [1], [0]], [3, 1], 'int32');
    const gathered = gatherPositions(hidden, positions);
    expect(gathered.shape).toEqual([3, 1, 1]);
    expect(Array.from(gathered.dataSync())).toEqual([10, 110, 200]);
    tf.dispose([hidden, positions, gathered]);
  });

  it('scatters the gradient back to the gathered positions, summing repeated positions', () => {
    const hidden = tf.zeros([2, 3, 2]);
    // Row 0 gathers position 2 twice and position 0 once; row 1 gathers position 1 three times.
    const positions = tf.tensor2d(
      [
        [2, 0, 2],
        [1, 1, 1],
      ],
      [2, 3],
      'int32',
    );
    const upstream = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    const gradient = tf.grad((h: tf.Tensor) =>
      tf.sum(tf.mul(gatherPositions(h, positions), upstream)),
    )(hidden);
    expect(gradient.shape).toEqual([2, 3, 2]);
    // Hand-computed: [0, 0] = [3, 4]; [0, 2] = [1, 2] + [5, 6]; [1, 1] = [7, 8] + [9, 10] + [11, 12].
    expect(gradient.arraySync()).toEqual([
      [
        [3, 4],
        [0, 0],
        [6, 8],
      ],
      [
        [0, 0],
        [27, 30],
        [0, 0],
      ],
    ]);
    tf.dispose([hidden, positions, upstream, gradient]);
  });

  it('has a gradient equal to central finite differences of its own forward pass', () => {
    const shape: [number, number, number] = [2, 4, 3];
    const positionValues = [
      [3, 1, 3, 0],
      [2, 2, 2, 1],
    ];
    const hidden = tf.tensor3d(normalValues(3, 2 * 4 * 3), shape);
    const positions = tf.tensor2d(positionValues, [2, 4], 'int32');
    // A random cotangent, so that every gathered element contributes to the checked scalar.
    const cotangent = tf.tensor3d(normalValues(4, 2 * 4 * 3), [2, 4, 3]);
    const objective = (h: tf.Tensor) => tf.sum(tf.mul(gatherPositions(h, positions), cotangent));
    const gradient = tf.grad(objective)(hidden);
    const analytic = gradient.dataSync();

    const base = hidden.dataSync();
    const epsilon = 1e-2;
    const numeric = new Float64Array(base.length);
    const evaluate = (values: Float32Array) =>
      tf.tidy(() => objective(tf.tensor3d(values, shape)).dataSync()[0]!);
    for (let index = 0; index < base.length; index++) {
      const shifted = Float32Array.from(base);
      shifted[index] = base[index]! + epsilon;
      const above = evaluate(shifted);
      shifted[index] = base[index]! - epsilon;
      const below = evaluate(shifted);
      numeric[index] = (above - below) / (2 * epsilon);
    }
    // The objective is linear in hidden, so the only error is float32 rounding of a sum of 24
    // products of size ~1 (about 1e-6), divided by 2ε = 0.02: well under 1e-3 relative.
    expectRelativelyClose(analytic, numeric, 1e-3, 'hidden gradient vs finite differences');
    tf.dispose([hidden, positions, cotangent, gradient]);
  });

  it('passes the gradient through to the weights that produced the hidden states', () => {
    // hidden = scale · ones, so d/dscale Σ gathered = number of gathered elements.
    const scale = tf.scalar(2);
    const positions = tf.tensor2d([[0, 0, 1]], [1, 3], 'int32');
    const gradient = tf.grad((s: tf.Tensor) =>
      tf.sum(gatherPositions(tf.mul(tf.ones([1, 2, 4]), s), positions)),
    )(scale);
    expect(gradient.dataSync()[0]).toBe(12);
    tf.dispose([scale, positions, gradient]);
  });

  it('rejects positions whose batch size differs from hidden', () => {
    const hidden = tf.zeros([2, 4, 3]);
    const positions = tf.zeros([3, 1], 'int32');
    const error = errorThrownBy(() => gatherPositions(hidden, positions));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /argument 'positions' has the wrong shape.*shape \[batch=2, predictions\]/,
    );
    expect(error.message).toMatch(
      /received an int32 tensor of shape \[3, 1\]: 'batch' is 2 in hidden but 3 here/,
    );
    tf.dispose([hidden, positions]);
  });

  it('rejects a position ≥ L, naming positions[b, p] and the sequence length', () => {
    const hidden = tf.zeros([2, 4, 3]);
    const positions = tf.tensor2d(
      [
        [0, 1, 2],
        [3, 0, 4],
      ],
      [2, 3],
      'int32',
    );
    const error = errorThrownBy(() => gatherPositions(hidden, positions));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^gatherPositions: argument 'positions\[1, 2\]' is invalid/);
    expect(error.message).toMatch(/a position in \[0, 4\).*received 4\./);
    tf.dispose([hidden, positions]);
  });

  it('rejects a negative position', () => {
    const hidden = tf.zeros([1, 4, 3]);
    const positions = tf.tensor2d([[0, -1]], [1, 2], 'int32');
    expect(() => gatherPositions(hidden, positions)).toThrow(
      /argument 'positions\[0, 1\]'.*received -1\./,
    );
    tf.dispose([hidden, positions]);
  });

  it('rejects float32 positions', () => {
    const hidden = tf.zeros([1, 4, 3]);
    const positions = tf.tensor2d([[0, 1]], [1, 2]);
    const error = errorThrownBy(() => gatherPositions(hidden, positions));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'positions' is invalid.*int32.*received a float32/);
    tf.dispose([hidden, positions]);
  });

  it('rejects hidden states that are not rank 3', () => {
    const hidden = tf.zeros([4, 3]);
    const positions = tf.tensor2d([[0, 1]], [1, 2], 'int32');
    const error = errorThrownBy(() => gatherPositions(hidden, positions));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'hidden' has the wrong shape.*rank 3/);
    tf.dispose([hidden, positions]);
  });
});
