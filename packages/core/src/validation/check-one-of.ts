import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { suggestClosest } from './suggest-closest';

/**
 * One of the `allowed` strings, or `fallback` when `value` is `undefined` and a fallback is given.
 * The error lists the allowed values and suggests the closest (`'meen'` → `did you mean 'mean'?`).
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
    const closest = typeof value === 'string' ? suggestClosest(value, allowed) : undefined;
    throw new InvalidArgumentError({
      ...site,
      expected: `one of ${list}`,
      received: value,
      fix: `${closest === undefined ? 'pass' : `did you mean '${closest}'? Pass`} one of ${list}${fallback === undefined ? '' : ` (default '${fallback}')`}.`,
    });
  }
  return value as T;
}
