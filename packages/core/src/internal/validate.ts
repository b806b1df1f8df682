import type * as tf from '@tensorflow/tfjs-core';
import { withArticle } from '../errors/describe-value';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';

/** Where a checked value came from, for the error message. */
export interface ArgumentSite {
  functionName: string;
  argumentName: string;
}

/** Throws an {@link InvalidArgumentError} unless `value` is a finite number in `[min, max]`. */
export function checkNumberInRange(
  site: ArgumentSite,
  value: unknown,
  range: {
    min?: number;
    max?: number;
    minExclusive?: boolean;
    maxExclusive?: boolean;
    integer?: boolean;
  },
  fix: string,
): number {
  const {
    min = -Infinity,
    max = Infinity,
    minExclusive = false,
    maxExclusive = false,
    integer = false,
  } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const low = min === -Infinity ? '(-∞' : `${minExclusive ? '(' : '['}${min}`;
    const high = max === Infinity ? '∞)' : `${max}${maxExclusive ? ')' : ']'}`;
    throw new InvalidArgumentError({
      ...site,
      expected: `a finite ${integer ? 'integer' : 'number'} in ${low}, ${high}`,
      received: value,
      fix,
    });
  }
  return value as number;
}

/**
 * Throws an {@link InvalidArgumentError} unless `value` is one of `allowed`; an `undefined` value
 * gives `fallback` when one is passed.
 */
export function checkOneOf<T extends string>(
  site: ArgumentSite,
  value: unknown,
  allowed: readonly T[],
  fallback?: T,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((item) => `'${item}'`).join(', ');
    throw new InvalidArgumentError({
      ...site,
      expected: `one of ${list}`,
      received: value,
      fix: `pass one of ${list}.`,
    });
  }
  return value as T;
}

/** Throws unless `value` is `undefined` or a boolean; returns it, or `fallback` when `undefined`. */
export function checkBoolean(site: ArgumentSite, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidArgumentError({
    ...site,
    expected: 'true or false',
    received: value,
    fix: `pass a boolean for ${site.argumentName.split('.').pop()}.`,
  });
}

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

/** Throws unless `value` is a live tensor of one of the given dtypes and ranks. */
export function checkTensor(
  site: ArgumentSite,
  value: unknown,
  requirements: { dtypes: readonly tf.DataType[]; ranks?: readonly number[] },
): tf.Tensor {
  const { dtypes, ranks } = requirements;
  const expected = `${withArticle(dtypes.join(' or '))} tensor${ranks ? ` of rank ${ranks.join(' or ')}` : ''}`;
  if (!isTensor(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      fix: `pass a tensor, e.g. tf.tensor(values, shape, '${dtypes[0]}').`,
    });
  }
  if (value.isDisposed) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      receivedDescription: `a disposed tensor of shape [${value.shape.join(', ')}]`,
      fix: 'keep the tensor alive until the call returns (do not dispose it, or create it inside the same tf.tidy).',
    });
  }
  if (!dtypes.includes(value.dtype)) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      fix: `convert it first, e.g. tf.cast(${site.argumentName.split('.').pop()}, '${dtypes[0]}').`,
    });
  }
  if (ranks && !ranks.includes(value.rank)) {
    throw new ShapeMismatchError({
      ...site,
      expected,
      received: value,
      fix: `reshape it to rank ${ranks.join(' or ')}.`,
    });
  }
  return value;
}

/** Formats a shape as `[a, b, c]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, index) => size === b[index]);
}
