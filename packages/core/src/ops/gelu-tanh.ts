import * as tf from '@tensorflow/tfjs-core';

const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU with the tanh approximation used by BERT, GPT-2 and GLM:
 * $\mathrm{gelu}(x) = \tfrac{1}{2}x\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)$.
 *
 * Composed from elementary ops because the wasm backend has no `Gelu` kernel; autodiff of the
 * composition works on every backend.
 *
 * @returns float32 of `x`'s shape; the caller owns it.
 */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const cube = tf.mul(tf.mul(x, x), x);
    const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), SQRT_TWO_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}
