import { createRng, InvalidArgumentError } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { createSpanLengthSampler, truncatedPoissonWeights } from './span-length-distribution';

describe('truncatedPoissonWeights', () => {
  it('is the reference weights pmf(k; 3) for k = 1…8, renormalised over 1…39', () => {
    const weights = truncatedPoissonWeights();
    expect(weights).toHaveLength(39);
    // The reference lists the raw pmf values (to 4 decimals); over 1…39 they sum to 1 − e^{-3}.
    const reference = [0.1494, 0.224, 0.224, 0.168, 0.1008, 0.0504, 0.0216, 0.0081];
    const mass = 1 - Math.exp(-3);
    reference.forEach((weight, index) => {
      expect(Math.abs(weights[index]! * mass - weight)).toBeLessThanOrEqual(5e-5);
    });
    expect(weights[0]).toBeCloseTo(0.1572, 4);
  });

  it('is the Poisson pmf renormalised over 1…maxLength', () => {
    const lambda = 2.5;
    const weights = truncatedPoissonWeights(lambda, 6);
    const pmf = (k: number) => {
      let factorial = 1;
      for (let j = 2; j <= k; j++) factorial *= j;
      return (lambda ** k * Math.exp(-lambda)) / factorial;
    };
    const total = [1, 2, 3, 4, 5, 6].reduce((sum, k) => sum + pmf(k), 0);
    [1, 2, 3, 4, 5, 6].forEach((k) => {
      expect(weights[k - 1]).toBeCloseTo(pmf(k) / total, 14);
    });
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 14);
  });

  it('refuses a non-positive mean and a non-integer maximum', () => {
    expect(() => truncatedPoissonWeights(0)).toThrow(InvalidArgumentError);
    expect(() => truncatedPoissonWeights(3, 0.5)).toThrow(
      "truncatedPoissonWeights: argument 'maxLength' is invalid",
    );
  });
});

describe('createSpanLengthSampler', () => {
  it('draws each length with its weight (±0.5 points over 200k draws)', () => {
    const weights = Float64Array.of(0.5, 0.2, 0, 0.3);
    const sampler = createSpanLengthSampler(weights);
    const random = createRng(4);
    const counts = [0, 0, 0, 0, 0];
    const draws = 200_000;
    for (let draw = 0; draw < draws; draw++) counts[sampler.draw(random)]!++;
    expect(counts[0]).toBe(0);
    expect(counts[3]).toBe(0);
    // Standard deviation ≤ sqrt(0.25 / 200k) ≈ 0.11 points: ±0.5 is over 4 deviations.
    expect(Math.abs(counts[1]! / draws - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(counts[2]! / draws - 0.2)).toBeLessThan(0.005);
    expect(Math.abs(counts[4]! / draws - 0.3)).toBeLessThan(0.005);
  });
});
