import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { checkBoolean } from './check-boolean';
import { checkFiniteNumber } from './check-finite-number';
import { checkInteger, checkPositiveInteger } from './check-integer';
import { checkNumberInRange } from './check-number-in-range';
import { checkOneOf } from './check-one-of';
import { checkProbability } from './check-probability';
import { checkRatio } from './check-ratio';

const site = { functionName: 'createThing', argumentName: 'options.value' };
const expectRefused = (action: () => unknown, fragments: readonly string[]) =>
  expectInvalidArgument(action, 'createThing', 'options.value', fragments);

describe('checkNumberInRange', () => {
  it('returns numbers inside the range, bounds included unless exclusive', () => {
    expect(checkNumberInRange(site, 0, { min: 0, max: 1 }, 'fix')).toBe(0);
    expect(checkNumberInRange(site, 1, { min: 0, max: 1 }, 'fix')).toBe(1);
    expect(checkNumberInRange(site, -5, {}, 'fix')).toBe(-5);
  });

  it.each([
    [Number.NaN, {}, 'a finite number in (-∞, ∞)'],
    [Number.POSITIVE_INFINITY, {}, 'a finite number in (-∞, ∞)'],
    ['1', {}, 'a finite number in (-∞, ∞)'],
    [0, { min: 0, minExclusive: true }, 'a finite number in (0, ∞)'],
    [1, { max: 1, maxExclusive: true }, 'a finite number in (-∞, 1)'],
    [1.5, { integer: true, min: 1 }, 'a finite integer in [1, ∞)'],
  ])('refuses %s with %o, showing the interval', (value, range, expected) => {
    expectRefused(
      () => checkNumberInRange(site, value, range, 'do this.'),
      [`Expected ${expected};`, 'Fix: do this.'],
    );
  });
});

describe('checkInteger and checkPositiveInteger', () => {
  it('returns integers in range, and the fallback for undefined', () => {
    expect(checkInteger(site, 3, { min: 2, max: 3 }, 'fix')).toBe(3);
    expect(checkInteger(site, undefined, { min: 2 }, 'fix', 512)).toBe(512);
    expect(checkPositiveInteger(site, 1, 'fix')).toBe(1);
    expect(checkPositiveInteger(site, undefined, 'fix', 128)).toBe(128);
  });

  it('refuses fractions, values out of range, and undefined without a fallback', () => {
    expectRefused(
      () => checkInteger(site, 2.5, { min: 0 }, 'pass a count.'),
      ['a finite integer in [0, ∞)', 'received 2.5', 'pass a count.'],
    );
    expectRefused(() => checkInteger(site, 9, { min: 0, max: 8 }, 'fix'), ['[0, 8]', 'received 9']);
    expectRefused(() => checkPositiveInteger(site, 0, 'pass ≥ 1.'), ['[1, ∞)', 'received 0.']);
    expectRefused(() => checkPositiveInteger(site, -4, 'fix', 128), ['received -4']);
    expectRefused(() => checkPositiveInteger(site, undefined, 'fix'), ['received undefined']);
  });
});

describe('checkFiniteNumber', () => {
  it('returns finite numbers in range, and the fallback for undefined', () => {
    expect(checkFiniteNumber(site, 0.5, { min: 0, minExclusive: true }, 'fix')).toBe(0.5);
    expect(checkFiniteNumber(site, undefined, { min: 0 }, 'fix', 1)).toBe(1);
  });

  it('refuses values outside an exclusive bound', () => {
    expectRefused(
      () => checkFiniteNumber(site, 0, { min: 0, minExclusive: true }, 'pass τ > 0.'),
      ['a finite number in (0, ∞)', 'pass τ > 0.'],
    );
    expectRefused(
      () => checkFiniteNumber(site, 2, { max: 2, maxExclusive: true }, 'f'),
      ['(-∞, 2)'],
    );
  });
});

describe('checkProbability', () => {
  it('accepts [0, 1] and returns the fallback for undefined', () => {
    expect(checkProbability(site, 0)).toBe(0);
    expect(checkProbability(site, 1)).toBe(1);
    expect(checkProbability(site, undefined, 0.5)).toBe(0.5);
  });

  it.each([[1.01], [-0.1], [Number.NaN], ['0.5']])('refuses %s with its built-in fix', (value) => {
    expectRefused(
      () => checkProbability(site, value, 0.5),
      [
        'Expected a probability, a finite number in [0, 1]',
        'Fix: pass a number between 0 (never) and 1 (always), or leave it out for the default 0.5.',
      ],
    );
  });

  it('refuses undefined without a fallback', () => {
    expectRefused(() => checkProbability(site, undefined), ['received undefined']);
  });
});

describe('checkRatio', () => {
  it('accepts (0, 1] with minExclusive and [0, 1] without', () => {
    expect(checkRatio(site, 0.15, { minExclusive: true })).toBe(0.15);
    expect(checkRatio(site, 1, { minExclusive: true })).toBe(1);
    expect(checkRatio(site, 0)).toBe(0);
    expect(checkRatio(site, undefined, {}, 0.15)).toBe(0.15);
  });

  it('refuses 0 when the lower bound is exclusive, and values above max', () => {
    expectRefused(
      () => checkRatio(site, 0, { minExclusive: true }),
      ['Expected a ratio, a finite number in (0, 1]', 'e.g. 0.15 for 15 %'],
    );
    expectRefused(
      () => checkRatio(site, 0.6, { max: 0.5 }, 0.15),
      ['a ratio, a finite number in [0, 0.5]', 'or leave it out for the default 0.15'],
    );
  });
});

describe('checkBoolean', () => {
  it('returns booleans, and the fallback for undefined', () => {
    expect(checkBoolean(site, false, true)).toBe(false);
    expect(checkBoolean(site, undefined, true)).toBe(true);
  });

  it('refuses strings and numbers', () => {
    expectRefused(
      () => checkBoolean(site, 'true', false),
      ['Expected true or false', 'received "true"', 'pass a boolean for value (default false).'],
    );
    expectRefused(() => checkBoolean(site, 1, false), ['received 1.']);
  });
});

describe('checkOneOf', () => {
  const allowed = ['mean', 'sum', 'none'] as const;

  it('returns an allowed value, and the fallback for undefined', () => {
    expect(checkOneOf(site, 'sum', allowed)).toBe('sum');
    expect(checkOneOf(site, undefined, allowed, 'mean')).toBe('mean');
  });

  it('suggests the closest allowed value', () => {
    expectRefused(
      () => checkOneOf(site, 'meen', allowed, 'mean'),
      [
        "Expected one of 'mean', 'sum', 'none'",
        'received "meen"',
        "Fix: did you mean 'mean'? Pass one of 'mean', 'sum', 'none' (default 'mean').",
      ],
    );
  });

  it('lists the allowed values without a suggestion when none is close', () => {
    const error = expectRefused(
      () => checkOneOf(site, 42, allowed),
      ["Fix: pass one of 'mean', 'sum', 'none'."],
    );
    expect(error.message).not.toContain('did you mean');
  });
});
