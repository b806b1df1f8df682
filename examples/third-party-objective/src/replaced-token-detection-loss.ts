import type { TokenLoss } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The discriminator's loss: binary cross-entropy on the "replaced" logit $z_t$ of every real token,
 * $\ell_t = \mathrm{softplus}(z_t) - y_t z_t = -y_t \log\sigma(z_t) - (1 - y_t)\log(1 - \sigma(z_t))$,
 * with $\mathrm{sum} = \sum_t m_t \ell_t$ over the attention mask $m$, $\mathrm{count} = \sum_t m_t$
 * and $\mathrm{loss} = \mathrm{sum} / N$ ($N$ = `normaliser`, or 0 when $N = 0$).
 * `softplus` is stable for large $|z|$ and its gradient is exactly $\sigma(z) - y$.
 */
export function replacedTokenDetectionLoss(
  logits: tf.Tensor,
  labels: Int32Array,
  attentionMask: Uint8Array,
  normaliser: number,
): TokenLoss {
  return tf.tidy(() => {
    const targets = tf.tensor(Float32Array.from(labels), logits.shape, 'float32');
    const weights = tf.tensor(Float32Array.from(attentionMask), logits.shape, 'float32');
    const perToken = tf.sub(tf.softplus(logits), tf.mul(targets, logits));
    const sum = tf.sum(tf.mul(perToken, weights)) as tf.Scalar;
    // The normaliser is a number known from the batch: dividing by 1 when it is 0 (sum is then 0)
    // keeps both the loss and its gradient at exactly 0 instead of 0/0.
    const loss = tf.div(sum, normaliser > 0 ? normaliser : 1) as tf.Scalar;
    return { loss, sum, count: tf.sum(weights) as tf.Scalar };
  });
}
