import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/backends';
import { IGNORE_INDEX } from '../contract/v1/ignore-index';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { causalShift } from './causal-shift';
import { embeddingLookup } from './embedding-lookup';
import { tokenAccuracy } from './token-accuracy';

/** The error `call` throws (failing the test if it does not throw). */
function errorThrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describeEachBackend('causalShift', () => {
  it('moves a rank-1 sequence one step left and fills the last position with -100', () => {
    const labels = tf.tensor1d([5, 6, 7, 8], 'int32');
    const shifted = causalShift(labels);
    expect(shifted.shape).toEqual([4]);
    expect(shifted.dtype).toBe('int32');
    expect(Array.from(shifted.dataSync())).toEqual([6, 7, 8, -100]);
    expect(IGNORE_INDEX).toBe(-100);
    tf.dispose([labels, shifted]);
  });

  it('shifts every row of a rank-2 batch separately, never across rows', () => {
    const labels = tf.tensor2d(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [2, 3],
      'int32',
    );
    const shifted = causalShift(labels);
    expect(shifted.shape).toEqual([2, 3]);
    expect(shifted.dtype).toBe('int32');
    expect(shifted.arraySync()).toEqual([
      [2, 3, -100],
      [5, 6, -100],
    ]);
    tf.dispose([labels, shifted]);
  });

  it('keeps ignored labels where they land and fills with a custom ignoreIndex', () => {
    const labels = tf.tensor2d(
      [
        [-1, 2, -1, 4],
        [9, -1, 8, 7],
      ],
      [2, 4],
      'int32',
    );
    const shifted = causalShift(labels, { ignoreIndex: -1 });
    expect(shifted.arraySync()).toEqual([
      [2, -1, 4, -1],
      [-1, 8, 7, -1],
    ]);
    tf.dispose([labels, shifted]);
  });

  it('turns length-1 rows into a single ignored position', () => {
    const batch = tf.tensor2d([[7], [9]], [2, 1], 'int32');
    const single = tf.tensor1d([3], 'int32');
    const shiftedBatch = causalShift(batch, { ignoreIndex: -7 });
    const shiftedSingle = causalShift(single);
    expect(shiftedBatch.shape).toEqual([2, 1]);
    expect(shiftedBatch.arraySync()).toEqual([[-7], [-7]]);
    expect(shiftedSingle.shape).toEqual([1]);
    expect(Array.from(shiftedSingle.dataSync())).toEqual([-100]);
    tf.dispose([batch, single, shiftedBatch, shiftedSingle]);
  });

  it('returns a new tensor and leaves the labels unchanged', () => {
    const labels = tf.tensor1d([1, 2], 'int32');
    const shifted = causalShift(labels);
    expect(shifted).not.toBe(labels);
    expect(Array.from(labels.dataSync())).toEqual([1, 2]);
    shifted.dispose();
    expect(labels.isDisposed).toBe(false);
    labels.dispose();
  });

  it('rejects float32 labels', () => {
    const labels = tf.tensor1d([1, 2, 3]);
    const error = errorThrownBy(() => causalShift(labels));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^causalShift: argument 'labels' is invalid.*int32.*received a float32 tensor of shape \[3\]/,
    );
    labels.dispose();
  });

  it('rejects labels of rank 3 (and rank 0) with a shape error', () => {
    const rank3 = tf.zeros([1, 2, 3], 'int32');
    const scalar = tf.scalar(1, 'int32');
    const error = errorThrownBy(() => causalShift(rank3));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'labels' has the wrong shape.*rank 1 or 2/);
    expect(() => causalShift(scalar)).toThrow(/rank 1 or 2.*shape \[\]/);
    tf.dispose([rank3, scalar]);
  });
});

describeEachBackend(
  'option checks shared by causalShift, tokenAccuracy and embeddingLookup',
  () => {
    it('refuses an ignore index that a class id could take, and misspelt option names', () => {
      const labels = tf.tensor1d([1, 2, 3], 'int32');
      const logits = tf.zeros([3, 4]);
      const table = tf.zeros([4, 2]);
      expect(() => causalShift(labels, { ignoreIndex: 1.5 })).toThrow(
        /causalShift: argument 'options.ignoreIndex'.*negative integer/,
      );
      expect(() => causalShift(labels, { ignoreIndex: 2 })).toThrow(InvalidArgumentError);
      expect(() => causalShift(labels, { ignore_index: -1 } as never)).toThrow(
        /unknown option 'ignore_index'/,
      );
      expect(() => tokenAccuracy(logits, [1, 2, 3], { ignoreIndex: 1 })).toThrow(
        /tokenAccuracy: argument 'options.ignoreIndex'/,
      );
      expect(() => embeddingLookup(table, [1], { validate_ids: false } as never)).toThrow(
        /embeddingLookup: argument 'options.validate_ids'/,
      );
      tf.dispose([labels, logits, table]);
    });
  },
);
