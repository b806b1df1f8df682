import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/** The accepted range of a number: inclusive bounds unless an exclusive flag says otherwise. */
export interface NumberRange {
  /** Lower bound; default $-\infty$. */
  min?: number;
  /** Upper bound; default $+\infty$. */
  max?: number;
  /** Exclude `min` itself. Default `false`. */
  minExclusive?: boolean;
  /** Exclude `max` itself. Default `false`. */
  maxExclusive?: boolean;
  /** Require an integer. Default `false`. */
  integer?: boolean;
}

/** The interval as a reader writes it: `[0, 1]`, `(0, 1]`, `[1, ∞)`. */
export function formatRange(range: NumberRange): string {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false } = range;
  const low = min === -Infinity ? '(-∞' : `${minExclusive ? '(' : '['}${min}`;
  const high = max === Infinity ? '∞)' : `${max}${maxExclusive ? ')' : ']'}`;
  return `${low}, ${high}`;
}

/** Whether `value` is a finite number (an integer when asked) inside `range`. */
export function isNumberInRange(value: unknown, range: NumberRange): value is number {
  const {
    min = -Infinity,
    max = Infinity,
    minExclusive = false,
    maxExclusive = false,
    integer = false,
  } = range;
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max)
  );
}

/**
 * Throws an {@link InvalidArgumentError} unless `value` is a finite number (an integer with
 * `integer: true`) in the range; the message shows the interval, e.g. `a finite integer in [1, ∞)`.
 *
 * @param fix how to correct the call, in the message's "Fix:" part.
 * @returns `value`, typed as a number.
 */
export function checkNumberInRange(
  site: ArgumentSite,
  value: unknown,
  range: NumberRange,
  fix: string,
): number {
  if (!isNumberInRange(value, range)) {
    throw new InvalidArgumentError({
      ...site,
      expected: `a finite ${range.integer ? 'integer' : 'number'} in ${formatRange(range)}`,
      received: value,
      fix,
    });
  }
  return value;
}
