import { describe, expect, it } from 'vitest';
import { fineTuningChecks, pretrainingChecks } from './goals';

const baseline = {
  uniformLoss: Math.log(3000),
  unigramLoss: 6.5,
  mostFrequentTokenId: 12,
  mostFrequentRate: 0.05,
  targets: 1000,
};

describe('pretrainingChecks', () => {
  it('passes at exactly 0.5 nat below the unigram loss and twice the most-frequent rate', () => {
    const checks = pretrainingChecks('bert', baseline, { loss: 6.7, tokenLoss: 6, accuracy: 0.1 });
    expect(checks.map((check) => [check.name, check.passed, check.detail])).toEqual([
      ['held-out loss ≤ unigram − 0.5', true, '6.000 ≤ 6.000'],
      ['held-out accuracy ≥ 2 × most-frequent-token rate', true, '10.0% ≥ 10.0%'],
    ]);
  });

  it('fails just above either limit, and checks no accuracy for the causal model', () => {
    const failing = pretrainingChecks('glm', baseline, {
      loss: 6,
      tokenLoss: 6.001,
      accuracy: 0.099,
    });
    expect(failing.map((check) => check.passed)).toEqual([false, false]);
    const causal = pretrainingChecks('causal', baseline, { loss: 5, tokenLoss: 5, accuracy: 0.01 });
    expect(causal.map((check) => check.passed)).toEqual([true]);
    expect(
      pretrainingChecks('bert', baseline, { loss: Number.NaN, tokenLoss: Number.NaN })[0]!.passed,
    ).toBe(false);
  });
});

describe('fineTuningChecks', () => {
  const exact = (matched: number) => ({
    loss: 1,
    tokenLoss: 1,
    exactMatches: { matched, total: 10 },
  });

  it('needs 0 exact completions before LoRA and at least 9 after', () => {
    expect(fineTuningChecks('lora', exact(0), exact(9)).map((check) => check.passed)).toEqual([
      true,
      true,
    ]);
    expect(fineTuningChecks('lora', exact(1), exact(8)).map((check) => check.detail)).toEqual([
      '1 of 10',
      '8 of 10',
    ]);
    expect(fineTuningChecks('lora', exact(1), exact(8)).some((check) => check.passed)).toBe(false);
  });

  it('holds prefix tuning to halving its held-out loss instead of an exact-match count', () => {
    const before = { ...exact(0), loss: 8 };
    expect(fineTuningChecks('prefix', before, { ...exact(2), loss: 4 })[1]).toEqual({
      name: 'held-out loss ≤ 0.5 × initial',
      passed: true,
      detail: '4.000 ≤ 4.000',
    });
    expect(fineTuningChecks('prefix', before, { ...exact(2), loss: 4.01 })[1]!.passed).toBe(false);
  });
});
