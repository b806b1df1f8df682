import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import type { ArgumentSite } from './argument-site';
import { readArrayLike } from './read-array-like';

/** What {@link checkIntegerArray} requires. */
export interface IntegerArrayRequirements {
  /** The exact number of values. */
  length?: number;
  /** The least value allowed. Default $-2^{31}$ (the values must fit an int32). */
  min?: number;
  /** The greatest value allowed. Default $2^{31} - 1$. */
  max?: number;
  /** What one value is, for the messages (`'word id'`, `'token type'`). Default `'integer'`. */
  itemName?: string;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * A list of integers of any sign (word ids where −1 means "no word", token types, part codes): an
 * array, a typed array or another array-like, of `length` values when given, every value an
 * integer in $[\mathrm{min}, \mathrm{max}]$ (within int32 by default). The error names the first
 * bad entry (`examples[0].wordIds[3]`). For token ids, which must also lie below the vocabulary
 * size, use `checkTokenIds`.
 *
 * @returns a **new** `Int32Array` (never a view of the caller's data).
 * @example
 * const wordIds = checkIntegerArray(site, example.wordIds, { length, min: -1, itemName: 'word id' });
 */
export function checkIntegerArray(
  site: ArgumentSite,
  value: unknown,
  requirements: IntegerArrayRequirements = {},
): Int32Array {
  const { length, itemName = 'integer' } = requirements;
  const min = Math.max(requirements.min ?? INT32_MIN, INT32_MIN);
  const max = Math.min(requirements.max ?? INT32_MAX, INT32_MAX);
  const values = readArrayLike(
    site,
    value,
    `an array, a typed array or another array-like of ${itemName}s`,
    `pass one ${itemName} per position, e.g. as an Int32Array.`,
  );
  if (length !== undefined && values.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} values (one ${itemName} per position)`,
      received: values,
      fix: `give exactly ${length} ${itemName}s, one per position.`,
    });
  }
  const integers = new Int32Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const item = values[index];
    if (typeof item === 'number' && Number.isInteger(item) && item >= min && item <= max) {
      integers[index] = item;
      continue;
    }
    const bounded = min !== INT32_MIN || max !== INT32_MAX;
    throw new InvalidArgumentError({
      ...site,
      argumentName: `${site.argumentName}[${index}]`,
      expected: `an integer ${itemName}${bounded ? ` in [${min}, ${max}]` : ''}`,
      received: item,
      fix: bounded
        ? `pass integer ${itemName}s from ${min} to ${max}.`
        : `pass integer ${itemName}s (within int32).`,
    });
  }
  return integers;
}
