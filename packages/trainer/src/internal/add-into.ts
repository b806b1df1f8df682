import * as tf from '@tensorflow/tfjs-core';

/**
 * `current + next` as a new tensor, freeing both operands (or `next` itself when there is no
 * running total yet): the accumulation pattern that keeps exactly one total alive.
 */
export function addInto(current: tf.Tensor | null | undefined, next: tf.Tensor): tf.Tensor {
  if (current == null) return next;
  const total = tf.add(current, next);
  current.dispose();
  next.dispose();
  return total;
}
