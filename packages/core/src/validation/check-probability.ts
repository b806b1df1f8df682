import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { isNumberInRange } from './check-number-in-range';

/**
 * The chance of a random event per draw: a number in $[0, 1]$, or `fallback` when `value` is
 * `undefined` and a fallback is given. (A share of a row's tokens is a ratio: {@link checkRatio}.)
 *
 * @example
 * const randomNextProbability = checkProbability(site, options.randomNextProbability, 0.5);
 */
export function checkProbability(site: ArgumentSite, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!isNumberInRange(value, { min: 0, max: 1 })) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'a probability, a finite number in [0, 1]',
      received: value,
      fix: `pass a number between 0 (never) and 1 (always)${fallback === undefined ? '' : `, or leave it out for the default ${fallback}`}.`,
    });
  }
  return value;
}
