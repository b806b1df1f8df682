import type * as tf from '@tensorflow/tfjs-core';

/**
 * A token-level loss together with the two numbers it was made from, so that losses can be
 * combined across micro-batches, devices and parts without the mean-of-means bug:
 * $\mathrm{loss} = \mathrm{sum} / \mathrm{normaliser}$, where the normaliser is `count` unless the
 * caller supplied `numItemsInBatch`.
 *
 * Accumulating $K$ micro-batches correctly means $\sum_k \mathrm{sum}_k / \sum_k \mathrm{count}_k$,
 * never $\frac{1}{K}\sum_k \mathrm{sum}_k / \mathrm{count}_k$.
 */
export interface TokenLoss<LossTensor extends tf.Tensor = tf.Scalar> {
  /** The loss to differentiate: a scalar (or, with `reduction: 'none'`, one value per position). */
  loss: LossTensor;
  /** $\sum_t w_t\,\ell_t$ over counted positions, a scalar. */
  sum: tf.Scalar;
  /** $\sum_t w_t$ over counted positions (the number of counted positions when unweighted), a scalar. */
  count: tf.Scalar;
}
