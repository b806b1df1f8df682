import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * Returns `value` as an indexable list when it is an array, a typed array or another array-like
 * object (`{ length, 0: …, 1: … }`); strings, `DataView`s and functions are refused, since their
 * "entries" are never what the caller meant.
 */
export function readArrayLike(
  site: ArgumentSite,
  value: unknown,
  expected: string,
  fix: string,
): ArrayLike<unknown> {
  const arrayLike =
    Array.isArray(value) ||
    (ArrayBuffer.isView(value) && !(value instanceof DataView)) ||
    (value !== null &&
      typeof value === 'object' &&
      Number.isInteger((value as { length?: unknown }).length) &&
      (value as { length: number }).length >= 0);
  if (!arrayLike) throw new InvalidArgumentError({ ...site, expected, received: value, fix });
  return value as ArrayLike<unknown>;
}
