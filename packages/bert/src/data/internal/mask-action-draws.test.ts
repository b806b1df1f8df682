import { createRng } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { MASK_ACTION } from '../mask-action';
import { MaskActionDraws } from './mask-action-draws';

function draw(
  maskTokenProbability: number,
  randomTokenProbability: number,
  count: number,
  seed = 1,
) {
  let draws = 0;
  const random = createRng(seed);
  const counting = {
    ...random,
    nextUint32: () => {
      draws++;
      return random.nextUint32();
    },
  };
  const actions = new MaskActionDraws(counting, maskTokenProbability, randomTokenProbability);
  const drawn = Array.from({ length: count }, () => actions.next());
  return { drawn, draws };
}

describe('MaskActionDraws', () => {
  it.each([
    [0.8, 0.1],
    [0.5, 0.3],
    [0.2, 0.7],
  ])(
    'draws mask/random/keep with absolute probabilities %s/%s/rest within ±0.5 point over 200k units',
    (mask, random) => {
      const { drawn } = draw(mask, random, 200_000);
      const share = (action: number) =>
        drawn.filter((value) => value === action).length / drawn.length;
      expect(Math.abs(share(MASK_ACTION.masked) - mask)).toBeLessThan(0.005);
      expect(Math.abs(share(MASK_ACTION.random) - random)).toBeLessThan(0.005);
      expect(Math.abs(share(MASK_ACTION.kept) - (1 - mask - random))).toBeLessThan(0.005);
    },
  );

  it('draws independent actions: every ordered pair of neighbours at the product of their probabilities (±0.5 point)', () => {
    const { drawn } = draw(0.8, 0.1, 200_000, 2);
    const probabilities = [0, 0.8, 0.1, 0.1];
    const pairs = new Map<string, number>();
    for (let index = 1; index < drawn.length; index++) {
      const key = `${drawn[index - 1]}${drawn[index]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    for (const first of [1, 2, 3]) {
      for (const second of [1, 2, 3]) {
        const observed = (pairs.get(`${first}${second}`) ?? 0) / (drawn.length - 1);
        expect(
          Math.abs(observed - probabilities[first]! * probabilities[second]!),
          `${first}${second}`,
        ).toBeLessThan(0.005);
      }
    }
  });

  it('uses about 2(1 − m) draws per unit: 0.4 at the default probabilities', () => {
    const { draws } = draw(0.8, 0.1, 100_000, 3);
    expect(draws / 100_000).toBeGreaterThan(0.38);
    expect(draws / 100_000).toBeLessThan(0.42);
  });

  it('handles the edge probabilities without drawing more than needed', () => {
    const always = draw(1, 0, 1000);
    expect(new Set(always.drawn)).toEqual(new Set([MASK_ACTION.masked]));
    expect(always.draws).toBe(0);
    expect(new Set(draw(0, 1, 1000).drawn)).toEqual(new Set([MASK_ACTION.random]));
    expect(new Set(draw(0, 0, 1000).drawn)).toEqual(new Set([MASK_ACTION.kept]));
    expect(new Set(draw(0.8, 0.2, 5000).drawn)).toEqual(
      new Set([MASK_ACTION.masked, MASK_ACTION.random]),
    );
  });
});
