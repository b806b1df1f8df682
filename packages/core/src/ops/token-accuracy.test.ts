import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/backends';
import type { TokenScores } from '../contract/v1/model-outputs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { createRng } from '../random/create-rng';
import type { RandomSource } from '../random/random-source';
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

/**
 * Hidden states `[B, L, H]` and a projection whose logits are exact in float32 and never tie:
 * small integers, plus a last hidden unit fixed at 1 whose weights $v/64$ break every tie. The
 * reference arg-maxes are computed in float64 from the same numbers.
 */
function exactScores(batch: number, length: number, hiddenSize: number, vocabularySize: number) {
  const random = createRng(17);
  const hidden = Array.from({ length: batch * length * hiddenSize }, (_, index) =>
    index % hiddenSize === hiddenSize - 1 ? 1 : random.int(-2, 2),
  );
  // byVocab[h][v]: the weight in its [H, V] orientation.
  const byVocab = Array.from({ length: hiddenSize }, (_, h) =>
    Array.from({ length: vocabularySize }, (_, v) =>
      h === hiddenSize - 1 ? v / 64 : random.int(-2, 2),
    ),
  );
  const bias = Array.from({ length: vocabularySize }, () => random.int(-1, 1));
  const argMaxes = (withBias: boolean) =>
    Array.from({ length: batch * length }, (_, row) => {
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let v = 0; v < vocabularySize; v++) {
        let logit = withBias ? bias[v]! : 0;
        for (let h = 0; h < hiddenSize; h++)
          logit += hidden[row * hiddenSize + h]! * byVocab[h]![v]!;
        if (logit > bestValue) [best, bestValue] = [v, logit];
      }
      return best;
    });
  return { random, hidden, byVocab, bias, argMaxes };
}

/** Labels: the arg-max at about half the positions, another class or the ignore index elsewhere. */
function labelsFor(argMaxes: readonly number[], vocabularySize: number, random: RandomSource) {
  return argMaxes.map((best) => {
    const draw = random.uniform();
    if (draw < 0.5) return best;
    if (draw < 0.65) return -100;
    return (best + random.int(1, vocabularySize - 1)) % vocabularySize;
  });
}

/** Counts (correct, counted) of `labels` against `argMaxes`, optionally shifted per row of `length`. */
function referenceCounts(
  argMaxes: readonly number[],
  labels: readonly number[],
  length: number,
  shift: boolean,
) {
  let correct = 0;
  let count = 0;
  argMaxes.forEach((best, index) => {
    const last = index % length === length - 1;
    const label = shift ? (last ? -100 : labels[index + 1]!) : labels[index]!;
    if (label === -100) return;
    count++;
    if (label === best) correct++;
  });
  return { correct, count };
}

describeEachBackend('tokenAccuracy from hidden states and a projection', () => {
  const [batch, length, hiddenSize, vocabularySize] = [3, 7, 5, 11];

  it('counts what the logits hW + b count, in both layouts, with and without bias, for any chunk size', () => {
    const scores = exactScores(batch, length, hiddenSize, vocabularySize);
    const hidden = tf.tensor3d(scores.hidden, [batch, length, hiddenSize]);
    const byVocab = tf.tensor2d(scores.byVocab);
    const byHidden = tf.transpose(byVocab);
    const bias = tf.tensor1d(scores.bias);
    for (const withBias of [true, false]) {
      const argMaxes = scores.argMaxes(withBias);
      const base = labelsFor(argMaxes, vocabularySize, scores.random);
      // For next-token scoring, the label one position later is what position t must predict.
      const shifted = base.map((_, index) => (index % length === 0 ? 0 : base[index - 1]!));
      const logits = tf.tidy(() => {
        const flat = tf.matMul(tf.reshape(hidden, [-1, hiddenSize]), byVocab);
        return tf.reshape(withBias ? tf.add(flat, bias) : flat, [batch, length, vocabularySize]);
      });
      for (const shift of [false, true]) {
        const labels = shift ? shifted : base;
        const expected = referenceCounts(argMaxes, labels, length, shift);
        expect(expected.correct).toBeGreaterThan(2);
        const fromLogits = read(tokenAccuracy({ logits }, labels, { shift }));
        expect(fromLogits.correct).toBe(expected.correct);
        expect(fromLogits.count).toBe(expected.count);
        for (const [weight, layout] of [
          [byVocab, 'hidden-by-vocab'],
          [byHidden, 'vocab-by-hidden'],
        ] as const) {
          const projection = withBias ? { weight, layout, bias } : { weight, layout };
          for (const chunkSize of [1, 4, 128]) {
            const fromHidden = read(
              tokenAccuracy({ hiddenStates: hidden, projection }, labels, { shift, chunkSize }),
            );
            expect(fromHidden).toEqual(fromLogits);
          }
        }
      }
      logits.dispose();
    }
    tf.dispose([hidden, byVocab, byHidden, bias]);
  });

  it('takes rank-2 hidden states, and gives exact zeros when nothing is counted or there are no rows', () => {
    const scores = exactScores(1, 4, hiddenSize, vocabularySize);
    const hidden = tf.tensor2d(scores.hidden, [4, hiddenSize]);
    const weight = tf.tensor2d(scores.byVocab);
    const projection = { weight, layout: 'hidden-by-vocab' as const };
    const argMaxes = scores.argMaxes(false);
    expect(read(tokenAccuracy({ hiddenStates: hidden, projection }, argMaxes))).toEqual({
      accuracy: 1,
      correct: 4,
      count: 4,
    });
    expect(
      read(tokenAccuracy({ hiddenStates: hidden, projection }, [-100, -100, -100, -100])),
    ).toEqual({ accuracy: 0, correct: 0, count: 0 });
    const empty = tf.zeros([2, 0, hiddenSize]);
    expect(read(tokenAccuracy({ hiddenStates: empty, projection }, []))).toEqual({
      accuracy: 0,
      correct: 0,
      count: 0,
    });
    tf.dispose([hidden, weight, empty]);
  });

  it('stays off the gradient tape: inside tf.grads it adds nothing to the gradients', () => {
    const scores = exactScores(2, 3, hiddenSize, vocabularySize);
    const hidden = tf.tensor3d(scores.hidden, [2, 3, hiddenSize]);
    const weight = tf.tensor2d(scores.byVocab);
    const labels = labelsFor(scores.argMaxes(false), vocabularySize, scores.random);
    const gradients = (withAccuracy: boolean) =>
      tf.grads((h: tf.Tensor, w: tf.Tensor) => {
        const scoresOf = {
          hiddenStates: h,
          projection: { weight: w, layout: 'hidden-by-vocab' as const },
        };
        const loss = tf.sum(tf.mul(tf.matMul(tf.reshape(h, [-1, hiddenSize]), w), 0.5));
        if (!withAccuracy) return loss;
        const { accuracy, correct, count } = tokenAccuracy(scoresOf, labels);
        return tf.add(loss, tf.add(accuracy, tf.add(correct, count)));
      })([hidden, weight]);
    const plain = gradients(false);
    const withAccuracy = gradients(true);
    for (const [index, gradient] of withAccuracy.entries()) {
      expect(Array.from(gradient.dataSync())).toEqual(Array.from(plain[index]!.dataSync()));
    }
    tf.dispose([hidden, weight, ...plain, ...withAccuracy]);
  });

  it('refuses mixed or malformed scores, a projection that does not fit and a bad chunk size', () => {
    const hidden = tf.zeros([2, 3]);
    const weight = tf.zeros([4, 5]);
    const logits = tf.zeros([2, 5]);
    const accuracyOf =
      (scores: unknown, options = {}) =>
      () =>
        tokenAccuracy(scores as TokenScores, [0, 1], options);
    expect(accuracyOf({ logits, hiddenStates: hidden })).toThrow(
      /argument 'scores'.*both logits and hiddenStates/,
    );
    expect(accuracyOf({ values: logits })).toThrow(/argument 'scores' is invalid/);
    const wrongWay = accuracyOf({
      hiddenStates: hidden,
      projection: { weight, layout: 'vocab-by-hidden' },
    });
    expect(wrongWay).toThrow(ShapeMismatchError);
    expect(wrongWay).toThrow(/argument 'scores\.projection\.weight'.*a weight of shape \[V, 3\]/);
    const transposed = tf.zeros([3, 5]);
    const shortBias = tf.zeros([4]);
    const integerLogits = tf.zeros([2, 5], 'int32');
    expect(
      accuracyOf({
        hiddenStates: hidden,
        projection: { weight: transposed, layout: 'vocab-by-hidden' },
      }),
    ).toThrow(/pass scores\.projection\.layout = 'hidden-by-vocab'/);
    expect(
      accuracyOf({ hiddenStates: hidden, projection: { weight: transposed, layout: 'sideways' } }),
    ).toThrow(/argument 'scores\.projection\.layout'/);
    expect(
      accuracyOf({
        hiddenStates: hidden,
        projection: { weight: transposed, layout: 'hidden-by-vocab', bias: shortBias },
      }),
    ).toThrow(/argument 'scores\.projection\.bias' has the wrong shape/);
    expect(
      accuracyOf(
        { hiddenStates: hidden, projection: { weight: transposed, layout: 'hidden-by-vocab' } },
        { chunkSize: 0 },
      ),
    ).toThrow(/argument 'options\.chunkSize'/);
    expect(accuracyOf({ logits: integerLogits })).toThrow(/argument 'scores\.logits'.*float32/);
    tf.dispose([hidden, weight, logits, transposed, shortBias, integerLogits]);
  });
});
