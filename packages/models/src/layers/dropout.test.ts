import { createRng } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { dropout } from './dropout';

describeEachBackend('dropout', () => {
  it('zeroes a fraction p of the elements and scales the rest by 1/(1 − p)', () => {
    const size = 20_000;
    const rate = 0.25;
    const output = tf.tidy(() => dropout(tf.ones([size]), rate, createRng(3)));
    const data = output.dataSync();
    let zeros = 0;
    for (const value of data) {
      if (value === 0) zeros++;
      else expect(value).toBeCloseTo(1 / (1 - rate), 6);
    }
    // Binomial(20 000, 0.25): standard deviation √(n p (1−p)) ≈ 61; allow 5σ.
    expect(Math.abs(zeros - size * rate)).toBeLessThan(5 * Math.sqrt(size * rate * (1 - rate)));
    output.dispose();
  });

  it('gives the same mask for the same seed on every backend, and a copy at rate 0', () => {
    const a = tf.tidy(() => dropout(tf.range(1, 9), 0.5, createRng(8)));
    const b = tf.tidy(() => dropout(tf.range(1, 9), 0.5, createRng(8)));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    // The mask depends only on the seeded source: pinned values, identical on cpu and wasm.
    const kept = Array.from(a.dataSync()).map((value) => value !== 0);
    const random = createRng(8);
    expect(kept).toEqual(Array.from({ length: 8 }, () => !(random.uniform() < 0.5)));
    const copy = tf.tidy(() => dropout(tf.range(1, 4), 0, createRng(1)));
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([a, b, copy]);
  });
});
