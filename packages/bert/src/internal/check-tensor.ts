import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ArgumentSite } from './check-arguments';

/**
 * Checks that `value` is a live float32 tensor whose shape matches `expected` (a `null` entry
 * matches any size), naming each dimension in the message; returns it typed as a tensor.
 */
export function checkFloatTensor(
  site: ArgumentSite,
  value: unknown,
  expected: readonly (number | null)[],
  dimensionNames: readonly string[],
  fix: string,
): tf.Tensor {
  const described = `a float32 tensor of shape [${expected
    .map((size, axis) =>
      size === null ? dimensionNames[axis] : `${dimensionNames[axis]} = ${size}`,
    )
    .join(', ')}]`;
  const tensor = value as tf.Tensor | undefined;
  const looksLikeTensor =
    tensor != null &&
    typeof tensor === 'object' &&
    Array.isArray(tensor.shape) &&
    typeof tensor.dataSync === 'function';
  if (!looksLikeTensor || tensor.isDisposed || tensor.dtype !== 'float32') {
    throw new InvalidArgumentError({
      ...site,
      expected: described,
      received: value,
      receivedDescription: tensor?.isDisposed ? 'a disposed tensor' : undefined,
      fix,
    });
  }
  const fits =
    tensor.shape.length === expected.length &&
    expected.every((size, axis) => size === null || tensor.shape[axis] === size);
  if (!fits) {
    throw new ShapeMismatchError({ ...site, expected: described, received: value, fix });
  }
  return tensor;
}
