import type { ArgumentSite } from './argument-site';
import { checkNumberInRange } from './check-number-in-range';

/**
 * An integer in $[\mathrm{min}, \mathrm{max}]$ (both optional, both included), or `fallback`
 * when `value` is `undefined` and a fallback is given.
 *
 * @example
 * const maxLength = checkInteger(site, options.maxLength, { min: 2 }, 'pass the longest row, at least 2.', 512);
 */
export function checkInteger(
  site: ArgumentSite,
  value: unknown,
  range: { min?: number; max?: number },
  fix: string,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(site, value, { ...range, integer: true }, fix);
}

/**
 * An integer ≥ 1 (a count, a size, a length), or `fallback` when `value` is `undefined` and a
 * fallback is given.
 */
export function checkPositiveInteger(
  site: ArgumentSite,
  value: unknown,
  fix: string,
  fallback?: number,
): number {
  return checkInteger(site, value, { min: 1 }, fix, fallback);
}
