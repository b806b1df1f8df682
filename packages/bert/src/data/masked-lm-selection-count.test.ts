import { readGolden } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { maskedLmSelectionCount } from './masked-lm-selection-count';
import { roundHalfEven } from './round-half-even';

interface CountsFixture {
  lengths: number[];
  roundHalfEven: { value: number; rounded: number }[];
  exactRound: { rate: number; maxPredictions: number; counts: number[] }[];
  exactCeil: { rate: number; maxPredictions: number; counts: number[] }[];
}

const fixture = readGolden<CountsFixture>(
  new URL('./__fixtures__/selection-counts.golden.json', import.meta.url),
);

describe('roundHalfEven', () => {
  it("rounds every fixture value as Python 3's round does (ties to even)", () => {
    expect(fixture.roundHalfEven.length).toBeGreaterThanOrEqual(15);
    for (const { value, rounded } of fixture.roundHalfEven) {
      expect(roundHalfEven(value), `round(${value})`).toBe(rounded);
    }
  });

  it('differs from Math.round exactly on the ties with an even floor', () => {
    expect(roundHalfEven(4.5)).toBe(4);
    expect(Math.round(4.5)).toBe(5);
    expect(roundHalfEven(5.5)).toBe(6);
    expect(roundHalfEven(4.500000000000001)).toBe(5);
  });
});

describe('maskedLmSelectionCount', () => {
  it(`matches the original generator's exact-round count for n = 0…600 at ${fixture.exactRound.length} rate/cap settings`, () => {
    for (const { rate, maxPredictions, counts } of fixture.exactRound) {
      const actual = fixture.lengths.map((n) =>
        maskedLmSelectionCount('exact-round', n, rate, maxPredictions),
      );
      expect(actual, `rate ${rate}, cap ${maxPredictions}`).toEqual(counts);
    }
  });

  it(`matches TensorFlow Text's float32 exact-ceil count for m = 0…600 at ${fixture.exactCeil.length} rate/cap settings`, () => {
    for (const { rate, maxPredictions, counts } of fixture.exactCeil) {
      const actual = fixture.lengths.map((m) =>
        maskedLmSelectionCount('exact-ceil', m, rate, maxPredictions),
      );
      expect(actual, `rate ${rate}, cap ${maxPredictions}`).toEqual(counts);
    }
    // The float32 product is what makes 100 · 0.15 select 16, not 15.
    expect(maskedLmSelectionCount('exact-ceil', 100, 0.15, 1000)).toBe(16);
  });

  it('returns the cap for bernoulli, which has no fixed count', () => {
    expect(maskedLmSelectionCount('bernoulli', 100, 0.15, 20)).toBe(20);
  });
});
