import { describe, expect, it } from 'vitest';
import { accuracyLabel, accuracyMetrics } from './accuracy-metrics';

describe('accuracyMetrics', () => {
  it('keeps the metrics named …accuracy and drops batch ratios and non-finite values', () => {
    expect(
      accuracyMetrics({
        maskedLmAccuracy: 0.25,
        nextSentenceAccuracy: 0.5,
        maskRatio: 0.15,
        brokenAccuracy: Number.NaN,
      }),
    ).toEqual({ maskedLmAccuracy: 0.25, nextSentenceAccuracy: 0.5 });
    expect(accuracyMetrics({ accuracy: 0.1, blankRatio: 0.2 })).toEqual({ accuracy: 0.1 });
    expect(accuracyMetrics({})).toEqual({});
  });
});

describe('accuracyLabel', () => {
  it('names the known metrics and spells out other camel-case names', () => {
    expect(accuracyLabel('maskedLmAccuracy')).toBe('masked-LM accuracy');
    expect(accuracyLabel('nextSentenceAccuracy')).toBe('next-sentence accuracy');
    expect(accuracyLabel('completionTokenAccuracy')).toBe('completion token accuracy');
  });
});
