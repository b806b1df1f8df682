import * as tf from '@tensorflow/tfjs-core';

/**
 * `rows` `[n, C]` with every row of weight 0 replaced by zeros: a position that is not scored
 * (ignore index, or weighted out) must not reach the result, even when its scores are NaN or
 * infinite (a padding position of a diverging model, a masked-out row of garbage), since
 * $\mathrm{NaN} \cdot 0 = \mathrm{NaN}$. A NaN weight (an unchecked out-of-range label) keeps its row.
 */
export function zeroUnscoredRows<T extends tf.Tensor2D>(rows: T, rowWeights: tf.Tensor1D): T {
  return tf.tidy(() => {
    const scored = tf.reshape(tf.notEqual(rowWeights, 0), [rows.shape[0], 1]);
    return tf.where(scored, rows, tf.zerosLike(rows)) as T;
  });
}
