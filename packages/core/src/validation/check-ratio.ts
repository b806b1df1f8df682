import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { formatRange, isNumberInRange } from './check-number-in-range';

/**
 * A share of a row's tokens (the fraction of a count that is targeted): a number in $(0, 1]$ with
 * `minExclusive: true`, in $[0, 1]$ otherwise (`max` lowers the upper bound), or `fallback` when
 * `value` is `undefined` and a fallback is given. (The chance of an event is a probability:
 * {@link checkProbability}.)
 *
 * @example
 * const selectionRatio = checkRatio(site, options.selectionRatio, { minExclusive: true }, 0.15);
 */
export function checkRatio(
  site: ArgumentSite,
  value: unknown,
  bounds: { minExclusive?: boolean; max?: number } = {},
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const range = { min: 0, max: bounds.max ?? 1, minExclusive: bounds.minExclusive ?? false };
  if (!isNumberInRange(value, range)) {
    throw new InvalidArgumentError({
      ...site,
      expected: `a ratio, a finite number in ${formatRange(range)}`,
      received: value,
      fix: `pass the share of tokens as a fraction, e.g. 0.15 for 15 %${fallback === undefined ? '' : `, or leave it out for the default ${fallback}`}.`,
    });
  }
  return value;
}
