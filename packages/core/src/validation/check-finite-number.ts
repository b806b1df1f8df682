import type { ArgumentSite } from './argument-site';
import { checkNumberInRange } from './check-number-in-range';

/**
 * A finite number within optional bounds, or `fallback` when `value` is `undefined` and a
 * fallback is given. The message shows the interval, e.g. `a finite number in (0, ∞)`.
 *
 * @example
 * const temperature = checkFiniteNumber(site, options.temperature, { min: 0, minExclusive: true }, 'pass τ > 0.', 1);
 */
export function checkFiniteNumber(
  site: ArgumentSite,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean },
  fix: string,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(site, value, range, fix);
}
