import * as tf from '@tensorflow/tfjs-core';

/**
 * Layer normalisation over the last axis:
 * $y = \gamma \odot (x - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta$, with $\mu$ and the biased
 * variance $\sigma^2$ taken over the hidden axis of each position (as BERT, GPT-2 and GLM do).
 *
 * @param x float32 `[..., H]`.
 * @param gamma float32 `[H]`, the scale.
 * @param beta float32 `[H]`, the offset.
 * @returns float32 of `x`'s shape; the caller owns it.
 */
export function layerNormalization(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const variance = tf.mean(tf.square(centred), axis, true);
    return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}
