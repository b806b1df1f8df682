import { describe, expect, it } from 'vitest';
import { describeLossTrend, lossTrend } from './loss-trend';
import type { ProgressPoint } from './protocol';

const points = (losses: number[]): ProgressPoint[] =>
  losses.map((loss, index) => ({ step: index + 1, loss, accuracies: {}, tokensPerSecond: 1 }));

describe('lossTrend', () => {
  it('averages the first and last five points of a long run', () => {
    const trend = lossTrend(points([10, 9, 8, 7, 6, 5, 5, 5, 5, 5, 4, 3, 2, 1, 0]));
    expect(trend).toEqual({ start: 8, end: 2, window: 5, fell: true });
  });

  it('uses a third of a short run, and a single point for two or three points', () => {
    expect(lossTrend(points([6, 5, 4, 3, 2, 1]))?.window).toBe(2);
    expect(lossTrend(points([3, 4]))).toEqual({ start: 3, end: 4, window: 1, fell: false });
  });

  it('does not call a noisy flat run a fall when one late batch is lucky', () => {
    // The last point alone is the lowest, but the means of the two ends are equal.
    const trend = lossTrend(points([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 6, 6, 6, 5, 4]));
    expect(trend?.fell).toBe(false);
  });

  it('returns undefined before two steps', () => {
    expect(lossTrend(points([]))).toBeUndefined();
    expect(lossTrend(points([1]))).toBeUndefined();
  });
});

describe('describeLossTrend', () => {
  it('states the direction, both means and the averaging window', () => {
    expect(describeLossTrend(points([8.006, 7.5, 7.0, 6.6, 6.52, 6.4]))).toBe(
      'Loss fell from 7.75 to 6.46 over 6 steps (mean of 2 steps at each end).',
    );
    expect(describeLossTrend(points([1]))).toBe('One step so far.');
    expect(describeLossTrend(points([]))).toBe('No steps yet.');
  });
});
