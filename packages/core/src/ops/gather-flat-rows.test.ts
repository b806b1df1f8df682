import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectInvalidArgument } from '../../test/backends';
import { gatherFlatRows } from './gather-flat-rows';

/** `[B, L, H]` rows whose entry `[b, l, h]` is `100·b + 10·l + h`. */
function recognisableRows(batchSize: number, length: number, hiddenSize: number): tf.Tensor3D {
  const values: number[] = [];
  for (let row = 0; row < batchSize; row++) {
    for (let position = 0; position < length; position++) {
      for (let unit = 0; unit < hiddenSize; unit++) values.push(100 * row + 10 * position + unit);
    }
  }
  return tf.tensor3d(values, [batchSize, length, hiddenSize]);
}

describeEachBackend('gatherFlatRows', () => {
  it('takes rows b·L + t of [B, L, H] for an Int32Array and for an int32 tensor', () => {
    const rows = recognisableRows(2, 3, 2);
    const positions = Int32Array.of(4, 0, 2);
    const fromArray = gatherFlatRows(rows, positions);
    expect(fromArray.shape).toEqual([3, 2]);
    expect(fromArray.arraySync()).toEqual([
      [110, 111],
      [0, 1],
      [20, 21],
    ]);
    const positionTensor = tf.tensor1d(positions, 'int32');
    const fromTensor = gatherFlatRows(rows, positionTensor);
    expect(fromTensor.arraySync()).toEqual(fromArray.arraySync());
    tf.dispose([rows, fromArray, positionTensor, fromTensor]);
  });

  it('takes rows of a [N, H] matrix too', () => {
    const rows = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const gathered = gatherFlatRows(rows, Int32Array.of(2, 2));
    expect(gathered.arraySync()).toEqual([
      [5, 6],
      [5, 6],
    ]);
    tf.dispose([rows, gathered]);
  });

  it('scatters the gradient back, adding repeated positions, and gives zeros elsewhere', () => {
    const rows = recognisableRows(2, 2, 3);
    const positions = Int32Array.of(3, 1, 3);
    // d/drows of Σ_i c_i · out[i, :] with c = [1, 2, 3]: row 3 gets 1 + 3, row 1 gets 2.
    const coefficients = tf.tensor2d([1, 2, 3], [3, 1]);
    const gradient = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(gatherFlatRows(input, positions), coefficients)),
    )(rows);
    expect(gradient.shape).toEqual([2, 2, 3]);
    expect(Array.from(gradient.dataSync())).toEqual([0, 0, 0, 2, 2, 2, 0, 0, 0, 4, 4, 4]);
    tf.dispose([rows, coefficients, gradient]);
  });

  it('gives [0, H] rows and a zero gradient for no positions', () => {
    const rows = recognisableRows(1, 2, 3);
    const gathered = gatherFlatRows(rows, new Int32Array(0));
    expect(gathered.shape).toEqual([0, 3]);
    const gradient = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.concat([tf.reshape(gatherFlatRows(input, new Int32Array(0)), [0]), tf.zeros([1])])),
    )(rows);
    expect(Array.from(gradient.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([rows, gathered, gradient]);
  });

  it('refuses positions outside [0, B·L), naming the entry, for arrays and tensors', () => {
    const rows = recognisableRows(2, 3, 2);
    expectInvalidArgument(
      () => gatherFlatRows(rows, Int32Array.of(0, 6)),
      'gatherFlatRows',
      'flatPositions[1]',
      ['a flat row index in [0, 6) (b · L + t for rows of shape [2, 3, 2])', 'received 6'],
    );
    const negative = tf.tensor1d([-1], 'int32');
    expectInvalidArgument(
      () => gatherFlatRows(rows, negative),
      'gatherFlatRows',
      'flatPositions[0]',
      ['received -1'],
    );
    tf.dispose([rows, negative]);
  });

  it('refuses float positions, plain arrays and rows of the wrong rank', () => {
    const rows = recognisableRows(1, 2, 2);
    const floats = tf.tensor1d([0, 1]);
    expectInvalidArgument(
      () => gatherFlatRows(rows, floats as tf.Tensor1D),
      'gatherFlatRows',
      'flatPositions',
      ['an int32 tensor of rank 1'],
    );
    expectInvalidArgument(
      () => gatherFlatRows(rows, [0, 1] as never),
      'gatherFlatRows',
      'flatPositions',
      ['an Int32Array or an int32 tensor of rank 1', 'scoredPositions'],
    );
    const flat = tf.zeros([4]);
    expectInvalidArgument(
      () => gatherFlatRows(flat, Int32Array.of(0)),
      'gatherFlatRows',
      'rows',
      ['rank 2 or 3'],
      'shape',
    );
    tf.dispose([rows, floats, flat]);
  });
});
