import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { createRng } from './create-rng';
import { truncatedNormalValues } from './truncated-normal-values';

describe('truncatedNormalValues', () => {
  it('draws one normal per try from the source and redraws outside ±bound·σ', () => {
    // The reference: the same loop written out against an identical source.
    const reference = createRng(7);
    const expected = Array.from({ length: 500 }, () => {
      let value = reference.normal(0, 0.02);
      while (Math.abs(value) > 0.04) value = reference.normal(0, 0.02);
      return Math.fround(value);
    });
    const values = truncatedNormalValues(createRng(7), 500, { standardDeviation: 0.02 });
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual(expected);
  });

  it('has the truncated distribution: every value within ±2σ, mean 0, variance 0.774σ²', () => {
    const sigma = 0.5;
    const count = 40_000;
    const values = truncatedNormalValues(createRng(11), count, { standardDeviation: sigma });
    let sum = 0;
    let squares = 0;
    for (const value of values) {
      expect(Math.abs(value)).toBeLessThanOrEqual(2 * sigma);
      sum += value;
      squares += value * value;
    }
    const mean = sum / count;
    const variance = squares / count - mean * mean;
    // Var of N(0,1) truncated to ±2: 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)) = 0.7737. Standard error of the
    // mean ≈ σ·0.88/√n = 0.0022 and of the variance ≈ 0.0015σ²: the tolerances are over 4 errors.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance / (sigma * sigma)).toBeGreaterThan(0.7737 - 0.01);
    expect(variance / (sigma * sigma)).toBeLessThan(0.7737 + 0.01);
  });

  it('honours a custom bound and gives zeros for σ = 0', () => {
    const values = truncatedNormalValues(createRng(3), 2000, { standardDeviation: 1, bound: 0.5 });
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(truncatedNormalValues(createRng(3), 3, { standardDeviation: 0 })).toEqual(
      new Float32Array(3),
    );
    expect(truncatedNormalValues(createRng(3), 0, { standardDeviation: 1 })).toEqual(
      new Float32Array(0),
    );
  });

  it('refuses a bad source, count, standard deviation, bound and unknown option', () => {
    const fn = 'truncatedNormalValues';
    expectInvalidArgument(
      () => truncatedNormalValues({} as never, 3, { standardDeviation: 1 }),
      fn,
      'random',
    );
    expectInvalidArgument(
      () => truncatedNormalValues(createRng(1), -1, { standardDeviation: 1 }),
      fn,
      'count',
      ['a finite integer in [0, ∞)'],
    );
    expectInvalidArgument(
      () => truncatedNormalValues(createRng(1), 3, { standardDeviation: -1 }),
      fn,
      'options.standardDeviation',
    );
    expectInvalidArgument(
      () => truncatedNormalValues(createRng(1), 3, { standardDeviation: 1, bound: 0 }),
      fn,
      'options.bound',
      ['(0, ∞)'],
    );
    expectInvalidArgument(
      () => truncatedNormalValues(createRng(1), 3, { standard_deviation: 1 } as never),
      fn,
      'options.standard_deviation',
      ["did you mean 'standardDeviation'?"],
    );
  });
});
