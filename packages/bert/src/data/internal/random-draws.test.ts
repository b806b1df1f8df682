import { createRng } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import {
  drawBelow,
  GeometricGaps,
  PackedShuffleOffsets,
  probabilityThreshold,
} from './random-draws';

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('drawBelow', () => {
  it('stays in [0, range) and hits every value of range 7 evenly (chi-square < 22.5, p ≈ 1e-3 at 6 degrees of freedom)', () => {
    const random = createRng(1);
    const counts = new Array<number>(7).fill(0);
    for (let index = 0; index < 70_000; index++) {
      const value = drawBelow(random, 7);
      expect(Number.isInteger(value) && value >= 0 && value < 7).toBe(true);
      counts[value]!++;
    }
    expect(chiSquare(counts)).toBeLessThan(22.5);
  });

  it('covers large ranges too (multiply-shift up to 2^21, rejection above), with mean (range − 1) / 2', () => {
    for (const range of [2 ** 21, 2 ** 21 + 1, 3_000_000_017]) {
      const random = createRng(2);
      let sum = 0;
      const draws = 40_000;
      for (let index = 0; index < draws; index++) {
        const value = drawBelow(random, range);
        expect(value >= 0 && value < range && Number.isInteger(value)).toBe(true);
        sum += value;
      }
      // Standard error of the mean: range / sqrt(12 · draws) ≈ 0.0014 · range.
      expect(Math.abs(sum / draws - (range - 1) / 2)).toBeLessThan(0.008 * range);
    }
  });

  it('returns 0 for range 1 and is deterministic for a seed', () => {
    expect(drawBelow(createRng(3), 1)).toBe(0);
    const first = Array.from(
      { length: 5 },
      (
        (random) => () =>
          drawBelow(random, 1000)
      )(createRng(4)),
    );
    const second = Array.from(
      { length: 5 },
      (
        (random) => () =>
          drawBelow(random, 1000)
      )(createRng(4)),
    );
    expect(first).toEqual(second);
  });
});

describe('probabilityThreshold', () => {
  it('makes nextUint32() < threshold true with probability p', () => {
    expect(probabilityThreshold(0)).toBe(0);
    expect(probabilityThreshold(1)).toBe(2 ** 32);
    const random = createRng(5);
    const threshold = probabilityThreshold(0.3);
    let hits = 0;
    for (let index = 0; index < 100_000; index++) if (random.nextUint32() < threshold) hits++;
    // Standard error 0.0014.
    expect(Math.abs(hits / 100_000 - 0.3)).toBeLessThan(0.007);
  });
});

describe('PackedShuffleOffsets', () => {
  it('gives all 120 orders of 5 items equally often (chi-square over 60k shuffles < 180, p ≈ 1e-4 at 119 degrees of freedom)', () => {
    const offsets = new PackedShuffleOffsets(createRng(6));
    const counts = new Map<string, number>();
    for (let round = 0; round < 60_000; round++) {
      const items = [0, 1, 2, 3, 4];
      offsets.reset();
      for (let index = 0; index < items.length; index++) {
        const other = index + offsets.next(items.length - index);
        [items[index], items[other]] = [items[other]!, items[index]!];
      }
      const key = items.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(120);
    expect(chiSquare([...counts.values()])).toBeLessThan(180);
  });

  it('packs up to three offsets into one draw for ranges whose product fits 2^21', () => {
    let draws = 0;
    const random = createRng(7);
    const counting = {
      ...random,
      nextUint32: () => {
        draws++;
        return random.nextUint32();
      },
    };
    const offsets = new PackedShuffleOffsets(counting);
    for (let range = 100; range > 94; range--) offsets.next(range);
    expect(draws).toBe(2); // 100·99·98 and 97·96·95 are both below 2^21
    offsets.reset();
    draws = 0;
    for (let range = 512; range > 508; range--) offsets.next(range);
    expect(draws).toBe(2); // 512·511 fits, 512·511·510 does not: two offsets per draw
  });

  it('draws nothing for a range of 1', () => {
    let draws = 0;
    const random = createRng(8);
    const offsets = new PackedShuffleOffsets({
      ...random,
      nextUint32: () => {
        draws++;
        return 0;
      },
    });
    expect(offsets.next(1)).toBe(0);
    expect(draws).toBe(0);
  });
});

describe('GeometricGaps', () => {
  it.each([
    [0.15, 0.15],
    [0.5, 0.5],
    [0.9, 0.9],
  ])(
    'draws failures before a success of Bernoulli(%s): P(0) = p and mean (1 − p)/p over 100k gaps',
    (probability) => {
      const gaps = new GeometricGaps(createRng(9), probability);
      let zeros = 0;
      let sum = 0;
      const draws = 100_000;
      for (let index = 0; index < draws; index++) {
        const gap = gaps.next();
        if (gap === 0) zeros++;
        sum += gap;
      }
      const mean = (1 - probability) / probability;
      const std = Math.sqrt(1 - probability) / probability;
      expect(Math.abs(zeros / draws - probability)).toBeLessThan(0.006);
      expect(Math.abs(sum / draws - mean)).toBeLessThan(6 * (std / Math.sqrt(draws)) + 1e-9);
    },
  );

  it('handles rare successes past the end of its table (p = 1e-4, mean 9999)', () => {
    const gaps = new GeometricGaps(createRng(10), 1e-4);
    let sum = 0;
    const draws = 20_000;
    for (let index = 0; index < draws; index++) sum += gaps.next();
    // Standard error ≈ 9999 / sqrt(20000) ≈ 71.
    expect(Math.abs(sum / draws - 9999)).toBeLessThan(450);
  });
});
