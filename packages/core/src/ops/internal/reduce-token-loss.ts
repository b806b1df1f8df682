import * as tf from '@tensorflow/tfjs-core';
import type { TokenLoss } from '../../contract/v1/token-loss';
import type { ResolvedTokenLossOptions } from './token-loss-options';

/**
 * Turns per-position losses (already multiplied by their counted weights) into a
 * {@link TokenLoss}: `sum`, `count`, and `loss` by the requested reduction. A normaliser of 0
 * gives a loss of 0 (all positions ignored: the sum is 0 too, and so is the gradient).
 */
export function reduceTokenLoss(
  perPosition: tf.Tensor1D,
  countedWeights: tf.Tensor1D,
  leadingShape: readonly number[],
  options: ResolvedTokenLossOptions,
): TokenLoss<tf.Tensor> {
  const sum = tf.sum(perPosition) as tf.Scalar;
  const count = tf.sum(countedWeights) as tf.Scalar;
  if (options.reduction === 'none')
    return { loss: tf.reshape(perPosition, [...leadingShape]), sum, count };
  if (options.reduction === 'sum') return { loss: sum, sum, count };
  if (options.numItemsInBatch !== undefined) {
    const factor = options.numItemsInBatch > 0 ? 1 / options.numItemsInBatch : 0;
    return { loss: tf.mul(sum, factor) as tf.Scalar, sum, count };
  }
  const safeCount = tf.where(tf.greater(count, 0), count, tf.onesLike(count));
  return { loss: tf.div(sum, safeCount) as tf.Scalar, sum, count };
}
