import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { checkTensorRequirements, type ShapeSpec } from './check-tensor';
import type { DimensionSizes } from './dimension-sizes';
import { isTensor, isVariable } from './is-tensor';

/**
 * Throws unless `value` is a live float32 `tf.Variable` (a trainable weight that an optimiser can
 * update and an adapter can freeze or merge into), of `shape` when given (named or fixed
 * dimensions, shared through `dimensions` as in `checkTensor`).
 *
 * @returns `value`, typed as a variable.
 */
export function checkVariable(
  site: ArgumentSite,
  value: unknown,
  requirements: { shape?: ShapeSpec; dimensions?: DimensionSizes } = {},
): tf.Variable {
  if (isTensor(value) && !value.isDisposed && !isVariable(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'a float32 tf.Variable (a trainable weight)',
      received: value,
      receivedDescription: `a plain ${value.dtype} tensor of shape [${value.shape.join(', ')}], not a variable`,
      fix: "pass the model's weight variable itself, or wrap the tensor: tf.variable(tensor).",
    });
  }
  return checkTensorRequirements(
    site,
    value,
    { dtypes: ['float32'], ...requirements },
    'tf.Variable',
  ) as tf.Variable;
}
