// Inputs at the edge of the token losses' domain (issue 18): empty batches, non-finite scores at
// positions that are not scored, and tokenCrossEntropy arguments that do not make sense together.
// Every tensor suite runs on cpu and wasm and checks for leaks.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  crossEntropy,
  linearCrossEntropy,
  type ProjectionLayout,
  type TokenLoss,
  type TokenScores,
  tokenCrossEntropy,
} from '../src/index';
import { describeEachBackend, expectInvalidArgument } from './backends';

/** Reads a token loss into numbers and frees it. */
function read(result: TokenLoss<tf.Tensor>) {
  const values = {
    loss: Array.from(result.loss.dataSync()),
    sum: result.sum.dataSync()[0],
    count: result.count.dataSync()[0],
  };
  tf.dispose([result.loss, result.sum, result.count]);
  return values;
}

/** Reads tensors into arrays and frees them. */
function arrays(tensors: tf.Tensor[]): number[][] {
  const values = tensors.map((tensor) => Array.from(tensor.dataSync()));
  tf.dispose(tensors);
  return values;
}

describeEachBackend('token losses: empty batches give exact zeros and zero gradients', () => {
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    for (const [layout, weightShape] of [
      ['hidden-by-vocab', [4, 7]],
      ['vocab-by-hidden', [7, 4]],
    ] as [ProjectionLayout, number[]][]) {
      for (const hiddenShape of [
        [0, 4],
        [2, 0, 4],
      ]) {
        it(`linearCrossEntropy, hidden [${hiddenShape}], ${layout}, bias, reduction ${reduction}`, () => {
          const hidden = tf.zeros(hiddenShape);
          const weight = tf.ones(weightShape);
          const bias = tf.ones([7]);
          const labels = new Int32Array(0);
          const options = { weightLayout: layout, bias, reduction } as const;
          const value = read(linearCrossEntropy(hidden, weight, labels, options));
          expect(value.loss).toEqual(reduction === 'none' ? [] : [0]);
          expect([value.sum, value.count]).toEqual([0, 0]);
          const [dHidden, dWeight, dBias] = arrays(
            tf.grads((h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
              tf.sum(linearCrossEntropy(h, w, labels, { ...options, bias: b }).loss),
            )([hidden, weight, bias]),
          );
          expect(dHidden).toEqual([]);
          expect(dWeight).toEqual(new Array(28).fill(0));
          expect(dBias).toEqual(new Array(7).fill(0));
          tf.dispose([hidden, weight, bias]);
        });
      }
    }

    it(`tokenCrossEntropy with hidden states [2, 0, 4], reduction ${reduction}`, () => {
      const hiddenStates = tf.zeros([2, 0, 4]);
      const weight = tf.ones([4, 7]);
      const scores: TokenScores = {
        hiddenStates,
        projection: { weight, layout: 'hidden-by-vocab' },
      };
      const value = read(tokenCrossEntropy(scores, [], { reduction, shift: true }));
      expect(value.loss).toEqual(reduction === 'none' ? [] : [0]);
      expect([value.sum, value.count]).toEqual([0, 0]);
      const [dWeight] = arrays([
        tf.grad((w: tf.Tensor) =>
          tf.sum(
            tokenCrossEntropy(
              { hiddenStates, projection: { weight: w, layout: 'hidden-by-vocab' } },
              [],
              {
                reduction,
              },
            ).loss,
          ),
        )(weight),
      ]);
      expect(dWeight).toEqual(new Array(28).fill(0));
      tf.dispose([hiddenStates, weight]);
    });

    it(`crossEntropy with logits [0, 7] and [2, 0, 7], reduction ${reduction}`, () => {
      for (const shape of [
        [0, 7],
        [2, 0, 7],
      ]) {
        const logits = tf.ones(shape);
        const value = read(crossEntropy(logits, [], { reduction }));
        expect(value.loss).toEqual(reduction === 'none' ? [] : [0]);
        expect([value.sum, value.count]).toEqual([0, 0]);
        const [dLogits] = arrays([
          tf.grad((z: tf.Tensor) => tf.sum(crossEntropy(z, [], { reduction }).loss))(logits),
        ]);
        expect(dLogits).toEqual([]);
        logits.dispose();
      }
    });
  }

  it('still checks the labels of an empty batch', () => {
    const hidden = tf.zeros([0, 4]);
    const weight = tf.ones([4, 7]);
    expectInvalidArgument(
      () => linearCrossEntropy(hidden, weight, [3]),
      'linearCrossEntropy',
      'labels',
      ['0 labels (shape [0], row-major)'],
      'shape',
    );
    tf.dispose([hidden, weight]);
  });
});

/** `[4, 5]` logits whose rows 1 and 2 hold NaN and ±Inf. */
const POISONED_ROWS = [1, 2];
const LOGITS = [
  [0.5, -1, 2, 0.25, 1],
  [Number.NaN, 1, 2, 3, 4],
  [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 1, 2],
  [1, 0, -1, 3, -2],
];
/** Rows 1 and 2 are ignored. */
const LABELS = [2, -100, -100, 3];

describeEachBackend('token losses: NaN and Inf at ignored positions never reach the result', () => {
  it('crossEntropy: the loss equals that of the scored rows alone; ignored rows get a zero gradient', () => {
    const poisoned = tf.tensor2d(LOGITS);
    const clean = tf.tensor2d(
      LOGITS.map((row, index) => (POISONED_ROWS.includes(index) ? [0, 0, 0, 0, 0] : row)),
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const expected = read(crossEntropy(clean, LABELS, { reduction }));
      expect(read(crossEntropy(poisoned, LABELS, { reduction }))).toEqual(expected);
    }
    const [gradPoisoned, gradClean] = arrays([
      tf.grad((z: tf.Tensor) => crossEntropy(z, LABELS, { labelSmoothing: 0.1, zLoss: 1e-3 }).loss)(
        poisoned,
      ),
      tf.grad((z: tf.Tensor) => crossEntropy(z, LABELS, { labelSmoothing: 0.1, zLoss: 1e-3 }).loss)(
        clean,
      ),
    ]);
    expect(gradPoisoned).toEqual(gradClean);
    expect(gradPoisoned!.slice(5, 15)).toEqual(new Array(10).fill(0));
    expect(gradPoisoned!.every(Number.isFinite)).toBe(true);
    tf.dispose([poisoned, clean]);
  });

  it('crossEntropy: a weight of 0 protects a row the same way', () => {
    const poisoned = tf.tensor2d(LOGITS);
    const labels = [2, 1, 0, 3];
    const weights = [1, 0, 0, 0.5];
    const value = read(crossEntropy(poisoned, labels, { weights }));
    expect(Number.isFinite(value.loss[0])).toBe(true);
    const [gradient] = arrays([
      tf.grad((z: tf.Tensor) => crossEntropy(z, labels, { weights }).loss)(poisoned),
    ]);
    expect(gradient!.every(Number.isFinite)).toBe(true);
    expect(gradient!.slice(5, 15)).toEqual(new Array(10).fill(0));
    poisoned.dispose();
  });

  for (const reduction of ['mean', 'none'] as const) {
    it(`linearCrossEntropy (${reduction}): finite loss, dW and db; zero hidden gradient at ignored rows`, () => {
      // Hidden states [4, 3] whose rows 1 and 2 are NaN and Inf; a [3, 5] weight and a bias.
      const rows = [
        [0.5, -1, 2],
        [Number.NaN, 0, 1],
        [Number.POSITIVE_INFINITY, 1, Number.NEGATIVE_INFINITY],
        [1, 0.25, -0.5],
      ];
      const poisoned = tf.tensor2d(rows);
      const clean = tf.tensor2d(
        rows.map((row, index) => (POISONED_ROWS.includes(index) ? [0, 0, 0] : row)),
      );
      const weight = tf.tensor2d(
        [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 1, -1.1, 1.2, 1.3, -1.4, 1.5],
        [3, 5],
      );
      const bias = tf.tensor1d([0.1, 0, -0.1, 0.2, 0]);
      const lossOf = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(linearCrossEntropy(h, w, LABELS, { bias: b, reduction, chunkSize: 3 }).loss);
      const [poisonedGrads, cleanGrads] = [poisoned, clean].map((hidden) =>
        arrays(tf.grads(lossOf)([hidden, weight, bias])),
      );
      const [dHidden, dWeight, dBias] = poisonedGrads!;
      expect(dWeight!.every(Number.isFinite) && dBias!.every(Number.isFinite)).toBe(true);
      expect(dHidden!.slice(3, 9)).toEqual(new Array(6).fill(0));
      expect(poisonedGrads).toEqual(cleanGrads);
      const [loss] = arrays([tf.tidy(() => lossOf(poisoned, weight, bias))]);
      const [cleanLoss] = arrays([tf.tidy(() => lossOf(clean, weight, bias))]);
      expect(loss).toEqual(cleanLoss);
      expect(Number.isFinite(loss![0])).toBe(true);
      tf.dispose([poisoned, clean, weight, bias]);
    });
  }
});

describeEachBackend('tokenCrossEntropy: arguments that do not go together', () => {
  it('refuses scores with both logits and hidden states', () => {
    const logits = tf.zeros([2, 5]);
    const hiddenStates = tf.zeros([2, 3]);
    const weight = tf.zeros([3, 5]);
    const scores = { logits, hiddenStates, projection: { weight, layout: 'hidden-by-vocab' } };
    expectInvalidArgument(
      () => tokenCrossEntropy(scores as unknown as TokenScores, [0, 1]),
      'tokenCrossEntropy',
      'scores',
      [
        'Expected either { logits } or { hiddenStates, projection }, not both',
        'received an object with both logits and hiddenStates',
      ],
    );
    tf.dispose([logits, hiddenStates, weight]);
  });

  it.each([[-4], [0], [2.5], ['8']])('refuses chunkSize %s with logits too', (chunkSize) => {
    const logits = tf.zeros([2, 5]);
    expectInvalidArgument(
      () => tokenCrossEntropy({ logits }, [0, 1], { chunkSize: chunkSize as number }),
      'tokenCrossEntropy',
      'options.chunkSize',
      ['a finite integer in [1, ∞)', 'positive whole number of rows'],
    );
    logits.dispose();
  });

  it('still accepts a valid chunkSize with logits, where it has no effect', () => {
    const logits = tf.tensor2d([0.5, -1, 2, 1, 0, 3], [2, 3]);
    const withChunk = read(tokenCrossEntropy({ logits }, [0, 2], { chunkSize: 1 }));
    expect(withChunk).toEqual(read(tokenCrossEntropy({ logits }, [0, 2])));
    logits.dispose();
  });
});
