import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from './backends';

describeEachBackend('smoke', (backend) => {
  it('runs on the backend', () => {
    expect(tf.getBackend()).toBe(backend);
    const y = tf.tidy(() =>
      tf.sum(
        tf.scatterND(
          [[1], [1]],
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          [3, 2],
        ),
      ),
    );
    expect(y.dataSync()[0]).toBe(10);
    y.dispose();
  });
});
