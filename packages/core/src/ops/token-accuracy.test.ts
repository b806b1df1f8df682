import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/backends';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { type TokenAccuracy, tokenAccuracy } from './token-accuracy';

/** One logit row of size `vocabularySize` whose arg-max is `winner` (the others are distinct and lower). */
function rowWithArgMax(winner: number, vocabularySize: number): number[] {
  return Array.from({ length: vocabularySize }, (_, index) =>
    index === winner ? 5 : -index * 0.5,
  );
}

/** `[positions, V]` logits whose row arg-maxes are `winners`. */
function logitsWithArgMaxes(winners: readonly number[], vocabularySize: number): number[][] {
  return winners.map((winner) => rowWithArgMax(winner, vocabularySize));
}

/** Reads the three scalars, checks they are scalars, and disposes them. */
function read(result: TokenAccuracy): { accuracy: number; correct: number; count: number } {
  for (const part of [result.accuracy, result.correct, result.count])
    expect(part.shape).toEqual([]);
  const values = {
    accuracy: result.accuracy.dataSync()[0]!,
    correct: result.correct.dataSync()[0]!,
    count: result.count.dataSync()[0]!,
  };
  tf.dispose([result.accuracy, result.correct, result.count]);
  return values;
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

describeEachBackend('tokenAccuracy', () => {
  it('counts the positions whose arg-max is the label, skipping ignored labels', () => {
    // Arg-maxes 2, 0, 1, 1, 3; labels 2 (hit), 1 (miss), ignored, 1 (hit), 0 (miss).
    const logits = tf.tensor2d(logitsWithArgMaxes([2, 0, 1, 1, 3], 4));
    const labels = tf.tensor1d([2, 1, -100, 1, 0], 'int32');
    expect(read(tokenAccuracy(logits, labels))).toEqual({ accuracy: 0.5, correct: 2, count: 4 });
    tf.dispose([logits, labels]);
  });

  it('handles rank-3 logits [B, L, V] with labels [B, L] given as a tensor, an Int32Array or an array', () => {
    // Arg-maxes: row 0 → 0, 1, 2; row 1 → 2, 2, 0.
    const logits = tf.tensor3d([
      logitsWithArgMaxes([0, 1, 2], 3),
      logitsWithArgMaxes([2, 2, 0], 3),
    ]);
    const labelValues = [0, 1, 0, 2, -100, -100];
    const labels = tf.tensor2d(labelValues, [2, 3], 'int32');
    const expected = { accuracy: 0.75, correct: 3, count: 4 };
    expect(read(tokenAccuracy(logits, labels))).toEqual(expected);
    expect(read(tokenAccuracy(logits, Int32Array.from(labelValues)))).toEqual(expected);
    expect(read(tokenAccuracy(logits, labelValues))).toEqual(expected);
    tf.dispose([logits, labels]);
  });

  it('with shift: true scores position t against label t+1 and drops the last position of each row', () => {
    // Row 0: labels [1, 2, 3, 0] → shifted targets [2, 3, 0, –]; arg-maxes [2, 3, 1, 0] hit at t = 0, 1.
    // Row 1: labels [1, 0, –, 1] → shifted targets [0, –, 1, –]; arg-maxes [0, 0, 1, 1] hit at t = 0, 2.
    const logits = tf.tensor3d([
      logitsWithArgMaxes([2, 3, 1, 0], 4),
      logitsWithArgMaxes([0, 0, 1, 1], 4),
    ]);
    const labels = tf.tensor2d(
      [
        [1, 2, 3, 0],
        [1, 0, -100, 1],
      ],
      [2, 4],
      'int32',
    );
    expect(read(tokenAccuracy(logits, labels, { shift: true }))).toEqual({
      accuracy: Math.fround(4 / 5), // float32 division, correctly rounded
      correct: 4,
      count: 5,
    });
    // Unshifted, the same inputs score differently: hits at [0, 3], [1, 1] and [1, 3] → 3 of 7.
    const unshifted = read(tokenAccuracy(logits, labels));
    expect(unshifted.correct).toBe(3);
    expect(unshifted.count).toBe(7);
    tf.dispose([logits, labels]);
  });

  it('treats rank-2 logits as one sequence when shifting', () => {
    const logits = tf.tensor2d(logitsWithArgMaxes([1, 2, 0], 3));
    // Shifted labels: [1, 2, -] → both counted positions hit.
    const labels = [0, 1, 2];
    expect(read(tokenAccuracy(logits, labels, { shift: true }))).toEqual({
      accuracy: 1,
      correct: 2,
      count: 2,
    });
    tf.dispose(logits);
  });

  it('honours a custom ignoreIndex', () => {
    const logits = tf.tensor2d(logitsWithArgMaxes([0, 1, 1], 2));
    const labels = [0, -1, 0];
    expect(read(tokenAccuracy(logits, labels, { ignoreIndex: -1 }))).toEqual({
      accuracy: 0.5,
      correct: 1,
      count: 2,
    });
    tf.dispose(logits);
  });

  it('gives accuracy 0 and count 0, never NaN, when every label is ignored', () => {
    const logits = tf.tensor2d(logitsWithArgMaxes([0, 1], 2));
    expect(read(tokenAccuracy(logits, [-100, -100]))).toEqual({
      accuracy: 0,
      correct: 0,
      count: 0,
    });
    // With shift, a single-position sequence has nothing to predict.
    const single = tf.tensor2d(logitsWithArgMaxes([1], 2));
    expect(read(tokenAccuracy(single, [1], { shift: true }))).toEqual({
      accuracy: 0,
      correct: 0,
      count: 0,
    });
    tf.dispose([logits, single]);
  });

  it('rejects a label outside [0, V) that is not the ignore index, naming its position', () => {
    const logits = tf.tensor3d([logitsWithArgMaxes([0, 1], 3)]);
    const error = errorThrownBy(() => tokenAccuracy(logits, [[0, 3]].flat()));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^tokenAccuracy: argument 'labels\[0, 1\]' is invalid.*\[0, 3\)/);
    logits.dispose();
  });

  it('rejects labels of the wrong shape, int32 logits and unknown options', () => {
    const logits = tf.tensor2d(logitsWithArgMaxes([0, 1], 3));
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    const shapeError = errorThrownBy(() => tokenAccuracy(logits, labels));
    expect(ShapeMismatchError.isInstance(shapeError)).toBe(true);
    expect(shapeError.message).toMatch(/argument 'labels' has the wrong shape.*\[2\]/);
    const integerLogits = tf.zeros([2, 3], 'int32');
    expect(() => tokenAccuracy(integerLogits, [0, 1])).toThrow(/argument 'logits'.*float32/);
    expect(() =>
      tokenAccuracy(logits, [0, 1], { ignore_index: -1 } as unknown as { ignoreIndex: number }),
    ).toThrow(/unknown option 'ignore_index'/);
    tf.dispose([logits, labels, integerLogits]);
  });
});

describeEachBackend('tokenAccuracy on an empty batch', () => {
  it('gives exact zeros for [0, V] and [B, 0, V] logits (wasm sums empty tensors to garbage)', () => {
    for (const shape of [
      [0, 5],
      [2, 0, 5],
    ]) {
      const logits = tf.zeros(shape);
      const { accuracy, correct, count } = tokenAccuracy(logits, []);
      expect([accuracy, correct, count].map((value) => value.dataSync()[0])).toEqual([0, 0, 0]);
      tf.dispose([logits, accuracy, correct, count]);
    }
  });
});
