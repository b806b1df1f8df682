import type * as tf from '@tensorflow/tfjs-core';

/** Whether `value` looks like a tfjs tensor (duck-typed, so tensors from another tfjs copy pass too). */
export function isTensor(value: unknown): value is tf.Tensor {
  return (
    value != null &&
    typeof value === 'object' &&
    Array.isArray((value as tf.Tensor).shape) &&
    typeof (value as tf.Tensor).dtype === 'string' &&
    typeof (value as tf.Tensor).dataSync === 'function'
  );
}

/** Whether `value` is a tfjs variable: a tensor with `assign` and a `trainable` flag. */
export function isVariable(value: unknown): value is tf.Variable {
  return (
    isTensor(value) &&
    typeof (value as tf.Variable).assign === 'function' &&
    typeof (value as tf.Variable).trainable === 'boolean'
  );
}
