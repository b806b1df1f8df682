import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { scoredRows, topOneAccuracy } from './top-one-accuracy';

describe('scoredRows', () => {
  it('keeps the scored labels, shifted for a causal model and without excluded targets', () => {
    // Two rows of 3: labels −100 are ignored; shifted, position t is predicted from row t − 1.
    const labels = Int32Array.of(-100, 5, 6, 7, -100, 9);
    expect(scoredRows(labels, 3)).toEqual({
      rows: Int32Array.of(1, 2, 3, 5),
      targets: Int32Array.of(5, 6, 7, 9),
    });
    expect(scoredRows(labels, 3, { shift: true })).toEqual({
      rows: Int32Array.of(0, 1, 4),
      targets: Int32Array.of(5, 6, 9),
    });
    expect(scoredRows(labels, 3, { excluded: [6, 9] })).toEqual({
      rows: Int32Array.of(1, 3),
      targets: Int32Array.of(5, 7),
    });
  });
});

describeEachBackend('topOneAccuracy', () => {
  it('counts the rows whose arg-max logit h·Eᵀ is the target (worked by hand)', () => {
    // E: 3 tokens × H = 2. Hidden rows [1, 0] → logits (1, 0, −1): token 0; [0, 2] → (0, 2, 1): token 1.
    const table = tf.tensor2d([
      [1, 0],
      [0, 1],
      [-1, 0.5],
    ]);
    const hidden = tf.tensor3d([
      [
        [1, 0],
        [0, 2],
      ],
    ]);
    const accuracy = topOneAccuracy(
      hidden,
      { weight: table, layout: 'vocab-by-hidden' },
      { rows: Int32Array.of(0, 1), targets: Int32Array.of(0, 2) },
    );
    expect(accuracy).toBe(0.5);
    expect(hidden.isDisposed).toBe(true);
    table.dispose();
  });

  it('is NaN with nothing to score, and still frees the hidden states', () => {
    const hidden = tf.zeros([1, 2, 2]);
    const table = tf.eye(2);
    const empty = { rows: new Int32Array(0), targets: new Int32Array(0) };
    expect(topOneAccuracy(hidden, { weight: table, layout: 'vocab-by-hidden' }, empty)).toBeNaN();
    expect(hidden.isDisposed).toBe(true);
    table.dispose();
  });
});
