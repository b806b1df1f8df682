import {
  type ArgumentSite,
  InvalidArgumentError,
  isTensor,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

// The house argument checks come from @lm-objectives/core; this file adds the few that only LoRA needs.
export {
  type ArgumentSite,
  checkBoolean,
  checkNumberInRange as checkNumber,
  checkOneOf,
  checkOptionKeys,
  formatShape,
  isTensor,
  sameShape,
} from '@lm-objectives/core';

/** Whether `value` is a tfjs variable (a tensor with `assign`). */
export function isVariable(value: unknown): value is tf.Variable {
  return isTensor(value) && typeof (value as tf.Variable).assign === 'function';
}

/** Throws unless `value` is a live float32 tensor of the given rank (and, optionally, a variable). */
export function checkFloatTensor(
  site: ArgumentSite,
  value: unknown,
  rank: number,
  requirements: { variable?: boolean; fix?: string } = {},
): tf.Tensor {
  const kind = requirements.variable ? 'tf.Variable' : 'tensor';
  const expected = `a float32 ${kind} of rank ${rank}`;
  const ok = requirements.variable ? isVariable(value) : isTensor(value);
  if (!ok || (value as tf.Tensor).isDisposed || (value as tf.Tensor).dtype !== 'float32') {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      receivedDescription: isTensor(value) && value.isDisposed ? 'a disposed tensor' : undefined,
      fix:
        requirements.fix ??
        (requirements.variable
          ? 'pass the model’s weight variable itself (tf.variable(...)), so that it can be frozen and merged into.'
          : "pass a live float32 tensor, e.g. tf.tensor(values, shape, 'float32')."),
    });
  }
  const tensor = value as tf.Tensor;
  if (tensor.rank !== rank) {
    throw new ShapeMismatchError({
      ...site,
      expected,
      received: tensor,
      fix: requirements.fix ?? `reshape it to rank ${rank}.`,
    });
  }
  return tensor;
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}
