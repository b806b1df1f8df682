import * as tf from '@tensorflow/tfjs-core';

/**
 * Root-mean-square normalisation over the last axis (Llama's `LlamaRMSNorm`):
 * $y = \gamma \odot x / \sqrt{\tfrac{1}{H}\sum_i x_i^2 + \epsilon}$, with no centring and no offset.
 *
 * @param x float32 `[..., H]`.
 * @param gamma float32 `[H]`, the scale.
 * @returns float32 of `x`'s shape; the caller owns it.
 */
export function rmsNormalization(x: tf.Tensor, gamma: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), x.rank - 1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, epsilon))), gamma);
  });
}
