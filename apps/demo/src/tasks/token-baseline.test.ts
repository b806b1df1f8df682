import { describe, expect, it } from 'vitest';
import { batchTargets, countTargets, tokenBaseline } from './token-baseline';

const batch = (labels: number[]) => ({ fields: { labels: { data: Int32Array.from(labels) } } });

describe('tokenBaseline', () => {
  it('scores the held-out targets with add-one smoothed training frequencies (worked by hand)', () => {
    // V = 4; training counts 5, 3, 0, 2 (C = 10): p = (c + 1)/14 = 6/14, 4/14, 1/14, 3/14.
    const trainingCounts = Float64Array.of(5, 3, 0, 2);
    const baseline = tokenBaseline({ trainingCounts, heldOutTargets: [0, 0, 1, 2] });
    const expected = -(2 * Math.log(6 / 14) + Math.log(4 / 14) + Math.log(1 / 14)) / 4;
    expect(baseline.unigramLoss).toBeCloseTo(expected, 12);
    expect(baseline.uniformLoss).toBeCloseTo(Math.log(4), 12);
    expect(baseline.mostFrequentTokenId).toBe(0);
    expect(baseline.mostFrequentRate).toBe(0.5);
    expect(baseline.targets).toBe(4);
  });

  it('leaves excluded targets out of the most-frequent rate but not out of the loss', () => {
    // Token 3 (say [eop]) is the most frequent target, but the accuracy does not count it.
    const trainingCounts = Float64Array.of(1, 4, 2, 9);
    const baseline = tokenBaseline({
      trainingCounts,
      heldOutTargets: [3, 3, 1, 2, 1],
      excludedFromAccuracy: [3],
    });
    expect(baseline.mostFrequentTokenId).toBe(1);
    expect(baseline.mostFrequentRate).toBeCloseTo(2 / 3, 12);
    const p = (count: number) => (count + 1) / (16 + 4);
    const expected = -(2 * Math.log(p(9)) + 2 * Math.log(p(4)) + Math.log(p(2))) / 5;
    expect(baseline.unigramLoss).toBeCloseTo(expected, 12);
  });

  it('never beats the best context-free guess: the held-out frequencies themselves', () => {
    const heldOutTargets = [0, 1, 1, 2, 2, 2, 2, 3];
    const trainingCounts = Float64Array.of(10, 20, 40, 10);
    const { unigramLoss } = tokenBaseline({ trainingCounts, heldOutTargets });
    // Cross-entropy ≥ entropy of the held-out distribution (Gibbs' inequality).
    const entropy = -[1, 2, 4, 1].reduce(
      (sum, count) => sum + (count / 8) * Math.log(count / 8),
      0,
    );
    expect(unigramLoss).toBeGreaterThan(entropy);
  });
});

describe('countTargets and batchTargets', () => {
  it('count only the scored labels (the ignore index −100 is skipped)', () => {
    const counts = countTargets([batch([1, -100, 1, 3]), batch([-100, 0])], new Float64Array(4));
    expect(Array.from(counts)).toEqual([1, 2, 0, 1]);
    expect(Array.from(batchTargets(batch([-100, 2, -100, 1])))).toEqual([2, 1]);
  });
});
