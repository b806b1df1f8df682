import {
  type ArgumentSite,
  checkOptionKeys,
  checkTensor as checkTensorKind,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Throws unless `value` is a live tensor of one of `dtypes` whose shape is `shape` (`-1` = any
 * size on that axis); core's `checkTensor` checks the dtype and rank, this adds the sizes.
 */
export function checkTensor(
  site: ArgumentSite,
  value: unknown,
  dtypes: readonly tf.DataType[],
  shape: readonly number[] | undefined,
  fix: string,
): tf.Tensor {
  const tensor = checkTensorKind(site, value, {
    dtypes,
    ...(shape ? { ranks: [shape.length] } : {}),
  });
  if (shape?.some((size, axis) => size >= 0 && tensor.shape[axis] !== size)) {
    const wanted = `[${shape.map((size) => (size < 0 ? '?' : size)).join(', ')}]`;
    const kind = dtypes.join(' or ');
    throw new ShapeMismatchError({
      ...site,
      expected: `${/^[aeio]/.test(kind) ? 'an' : 'a'} ${kind} tensor of shape ${wanted}`,
      received: tensor,
      fix,
    });
  }
  return tensor;
}

/** Throws unless `value` is an object whose keys are all in `known` (a required options object). */
export function checkKnownKeys(
  site: ArgumentSite,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected: `an object with some of ${known.join(', ')}`,
      received: value,
      fix: `pass an object, e.g. { ${known[0]}: … }.`,
    });
  }
  checkOptionKeys(site.functionName, value, known, site.argumentName);
  return value as Record<string, unknown>;
}
