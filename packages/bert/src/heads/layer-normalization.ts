import * as tf from '@tensorflow/tfjs-core';

/**
 * Layer normalisation over the last axis:
 * $y = \gamma \odot (x - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta$ with the biased variance
 * $\sigma^2$, as BERT uses it ($\epsilon = 10^{-12}$ there).
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
    const normalised = tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normalised, gamma), beta);
  });
}
