import { describe, expect, it } from 'vitest';
import { uniformLoss } from './uniform-loss';

describe('uniformLoss', () => {
  it('is ln V per token, ln 3000 ≈ 8.006 for the demo vocabulary', () => {
    expect(uniformLoss('glm', 3000).value).toBeCloseTo(8.006_367_567_650_246, 12);
    expect(uniformLoss('lora', 3000).label).toBe('uniform guessing (ln V)');
  });

  it('adds ln 2 for BERT, whose loss includes the two-way next-sentence part', () => {
    expect(uniformLoss('bert', 3000).value).toBeCloseTo(8.006_367_567_650_246 + Math.LN2, 12);
    expect(uniformLoss('bert', 3000).label).toBe('uniform guessing (ln V + ln 2)');
  });
});
