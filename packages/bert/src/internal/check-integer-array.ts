import { type ArgumentSite, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';

/**
 * Checks an array of `length` integers of any sign (word ids, where −1 means "no word"; token
 * types, checked further by the caller), as an array, a typed array or another array-like. Returns an `Int32Array`:
 * an `Int32Array` argument as it is, anything else copied.
 *
 * @param what what one value is, for the messages (e.g. `'word id'`).
 */
export function checkIntegerArray(
  site: ArgumentSite,
  value: unknown,
  length: number,
  what: string,
): Int32Array {
  const list =
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof DataView) &&
    Number.isInteger((value as { length?: unknown }).length);
  if (!list) {
    throw new InvalidArgumentError({
      ...site,
      expected: `an array, typed array or array-like of integers (one ${what} per token)`,
      received: value,
      fix: `pass one ${what} per token.`,
    });
  }
  const values = value as ArrayLike<unknown>;
  if (values.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} values (one ${what} per token)`,
      received: value,
      fix: `give one ${what} per token of inputIds.`,
    });
  }
  if (value instanceof Int32Array) return value;
  const integers = new Int32Array(length);
  for (let index = 0; index < length; index++) {
    const item = values[index];
    if (!(typeof item === 'number' && Number.isInteger(item) && Math.abs(item) < 2 ** 31)) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}[${index}]`,
        expected: `an integer ${what}`,
        received: item,
        fix: `pass integer ${what}s.`,
      });
    }
    integers[index] = item;
  }
  return integers;
}
