import { describe, expect, it } from 'vitest';
import { formatCount, formatLoss, formatPercent, formatRate } from './format-numbers';

describe('formatCount', () => {
  it('keeps three significant digits with k, M and G suffixes', () => {
    expect(formatCount(987)).toBe('987');
    expect(formatCount(45_600)).toBe('45.6 k');
    expect(formatCount(1_234_567)).toBe('1.23 M');
    expect(formatCount(2_500_000_000)).toBe('2.50 G');
  });

  it('prints a dash for values that are not finite', () => {
    expect(formatCount(Number.NaN)).toBe('—');
  });
});

describe('formatPercent, formatLoss and formatRate', () => {
  it('format a fraction as a percentage with the requested decimals', () => {
    expect(formatPercent(0.0213, 2)).toBe('2.13 %');
    expect(formatPercent(0.5)).toBe('50.0 %');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('print a loss with four decimals and a dash when there is none yet', () => {
    expect(formatLoss(8.006_368)).toBe('8.0064');
    expect(formatLoss(undefined)).toBe('—');
  });

  it('print tokens per second with the count suffix', () => {
    expect(formatRate(1520)).toBe('1.52 k tokens/s');
    expect(formatRate(undefined)).toBe('—');
  });
});
