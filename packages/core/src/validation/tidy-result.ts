import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.tidy` for a function returning an object of tensors with a precise type (tidy's own
 * signature only knows `TensorContainer`). Every tensor reachable from the result is kept; every
 * other tensor created inside is freed.
 */
export function tidyResult<Result extends object>(compute: () => Result): Result {
  return tf.tidy(compute as unknown as () => tf.TensorContainer) as unknown as Result;
}
