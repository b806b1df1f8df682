import { describe, expect, it } from 'vitest';
import { expectInvalidArgument, readGolden } from '../../test/golden';
import { createRng, createRngFromState } from './create-rng';
import type { RandomSource } from './random-source';

/** One seed's record in `rng.golden.json`; every field starts from a fresh `createRng(seed)`. */
interface RngGoldenRecord {
  seed: number;
  nextUint32: number[];
  uniform: number[];
  int_1_6: number[];
  int_0_999999999: number[];
  shuffle10: number[];
  categorical: number[];
  poisson3: number[];
  normal: number[];
  forkThenNext: number[];
  stateAfter3: number[];
}

const golden = readGolden<{ seeds: RngGoldenRecord[] }>(
  new URL('./__fixtures__/rng.golden.json', import.meta.url),
);

/** The weights the Python mirror drew `categorical` with. */
const GOLDEN_CATEGORICAL_WEIGHTS = [0.1, 0, 2, 0.5];

function draw<T>(count: number, next: () => T): T[] {
  return Array.from({ length: count }, next);
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

function variance(values: readonly number[]): number {
  const center = mean(values);
  return values.reduce((total, value) => total + (value - center) ** 2, 0) / (values.length - 1);
}

/** Relative frequency of each outcome in `[0, outcomes)`. */
function frequencies(values: readonly number[], outcomes: number): number[] {
  const counts = new Array<number>(outcomes).fill(0);
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts.map((count) => count / values.length);
}

describe('createRng matches the independent Python mirror (rng.golden.json)', () => {
  it('covers the seeds the fixture was written for', () => {
    expect(golden.seeds.map((record) => record.seed)).toEqual([
      0,
      1,
      42,
      2 ** 32 + 7,
      Number.MAX_SAFE_INTEGER,
    ]);
  });

  for (const record of golden.seeds) {
    describe(`seed ${record.seed}`, () => {
      const fresh = (): RandomSource => createRng(record.seed);

      it('gives the same raw 32-bit outputs', () => {
        const rng = fresh();
        expect(draw(record.nextUint32.length, () => rng.nextUint32())).toEqual(record.nextUint32);
      });

      it('gives bit-identical uniform floats', () => {
        const rng = fresh();
        expect(draw(record.uniform.length, () => rng.uniform())).toEqual(record.uniform);
      });

      it('gives the same die rolls int(1, 6)', () => {
        const rng = fresh();
        expect(draw(record.int_1_6.length, () => rng.int(1, 6))).toEqual(record.int_1_6);
      });

      it('gives the same int(0, 999999999) draws (a range that needs rejection)', () => {
        const rng = fresh();
        expect(draw(record.int_0_999999999.length, () => rng.int(0, 999_999_999))).toEqual(
          record.int_0_999999999,
        );
      });

      it('shuffles ten items into the same order', () => {
        const items = Array.from({ length: 10 }, (_, index) => index);
        expect(fresh().shuffle(items)).toEqual(record.shuffle10);
      });

      it('gives the same categorical draws over [0.1, 0, 2, 0.5]', () => {
        const rng = fresh();
        const draws = draw(record.categorical.length, () =>
          rng.categorical(GOLDEN_CATEGORICAL_WEIGHTS),
        );
        expect(draws).toEqual(record.categorical);
      });

      it('gives the same poisson(3) counts', () => {
        const rng = fresh();
        expect(draw(record.poisson3.length, () => rng.poisson(3))).toEqual(record.poisson3);
      });

      it('gives the same normal samples to a relative 1e-14 (libm and fdlibm may differ by an ulp)', () => {
        const rng = fresh();
        const samples = draw(record.normal.length, () => rng.normal(0, 1));
        expect(samples).toHaveLength(record.normal.length);
        samples.forEach((sample, index) => {
          const expected = record.normal[index]!;
          expect(
            Math.abs(sample - expected),
            `normal[${index}]: ${sample} vs ${expected}`,
          ).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
        });
      });

      it('forks the same child and advances the parent by two outputs', () => {
        const parent = fresh();
        const child = parent.fork();
        const outputs = [
          ...draw(4, () => child.nextUint32()),
          ...draw(4, () => parent.nextUint32()),
        ];
        expect(outputs).toEqual(record.forkThenNext);
        // The parent spent exactly two outputs on the fork.
        expect(record.forkThenNext.slice(4)).toEqual(record.nextUint32.slice(2, 6));
      });

      it('reports the same state after three outputs', () => {
        const rng = fresh();
        draw(3, () => rng.nextUint32());
        expect(rng.getState()).toEqual(record.stateAfter3);
      });
    });
  }

  it('pins the first eight outputs of seed 42', () => {
    const rng = createRng(42);
    expect(draw(8, () => rng.nextUint32())).toEqual([
      2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290, 65323186, 1112262688,
    ]);
  });
});

describe('createRng is xoshiro128**', () => {
  it('reproduces the reference C implementation from state [1, 2, 3, 4]', () => {
    // Blackman & Vigna's published xoshiro128** outputs from this state.
    const rng = createRngFromState([1, 2, 3, 4]);
    expect(draw(6, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('uses the high 32 bits of the seed too', () => {
    const low = createRng(7);
    const high = createRng(2 ** 32 + 7);
    expect(draw(4, () => high.nextUint32())).not.toEqual(draw(4, () => low.nextUint32()));
  });

  it('returns uniform floats in [0, 1) and raw outputs in [0, 2^32)', () => {
    const rng = createRng(3);
    for (let index = 0; index < 10_000; index++) {
      const value = rng.uniform();
      expect(value >= 0 && value < 1).toBe(true);
      const raw = rng.nextUint32();
      expect(Number.isInteger(raw) && raw >= 0 && raw < 2 ** 32).toBe(true);
    }
  });

  it('draws from the full 32-bit range with int(0, 2^32 − 1)', () => {
    const expected = createRng(11);
    const rng = createRng(11);
    // A range of exactly 2^32 never rejects, so int is the raw output itself.
    expect(draw(5, () => rng.int(0, 2 ** 32 - 1))).toEqual(draw(5, () => expected.nextUint32()));
  });

  it('includes both ends of int(min, max) and handles negative bounds', () => {
    const rng = createRng(5);
    const values = new Set(draw(2000, () => rng.int(-2, 2)));
    expect([...values].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    expect(createRng(5).int(9, 9)).toBe(9);
  });

  it('scales normal samples by mean and std exactly', () => {
    const standard = createRng(8).normal();
    expect(createRng(8).normal(10, 2)).toBe(10 + 2 * standard);
    expect(createRng(8).normal(0, 1)).toBe(standard);
  });

  it('never draws a zero-weight outcome from categorical', () => {
    const rng = createRng(6);
    const draws = draw(20_000, () => rng.categorical([0, 3, 0, 1, 0]));
    expect(new Set(draws)).toEqual(new Set([1, 3]));
  });

  it('returns 0 from poisson(0) and the same array from shuffle', () => {
    const rng = createRng(12);
    expect(draw(10, () => rng.poisson(0))).toEqual(new Array(10).fill(0));
    const items = new Int32Array([1, 2, 3, 4, 5]);
    const shuffled = rng.shuffle(items);
    expect(shuffled).toBe(items);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('createRng state and forks', () => {
  it('continues the exact sequence from createRngFromState(rng.getState())', () => {
    const rng = createRng(42);
    // Use several methods first, so the saved state is mid-stream.
    rng.uniform();
    rng.int(1, 100);
    rng.shuffle([1, 2, 3, 4, 5, 6]);
    rng.normal();
    const restored = createRngFromState(rng.getState());
    const expected = [
      ...draw(10, () => rng.nextUint32()),
      ...draw(5, () => rng.uniform()),
      ...draw(5, () => rng.int(0, 999)),
    ];
    const actual = [
      ...draw(10, () => restored.nextUint32()),
      ...draw(5, () => restored.uniform()),
      ...draw(5, () => restored.int(0, 999)),
    ];
    expect(actual).toEqual(expected);
  });

  it('returns a copy of the state, so mutating it does not change the source', () => {
    const rng = createRng(9);
    const reference = createRng(9);
    const state = rng.getState();
    state[0] = 12345;
    state[3] = 0;
    expect(draw(5, () => rng.nextUint32())).toEqual(draw(5, () => reference.nextUint32()));
  });

  it('does not alias the array passed to createRngFromState', () => {
    const state = createRng(10).getState();
    const rng = createRngFromState(state);
    const reference = createRngFromState([...state]);
    state[1] = 999;
    expect(draw(5, () => rng.nextUint32())).toEqual(draw(5, () => reference.nextUint32()));
  });

  it('gives equal forks from equal parents', () => {
    const first = createRng(2024).fork();
    const second = createRng(2024).fork();
    expect(draw(16, () => first.nextUint32())).toEqual(draw(16, () => second.nextUint32()));
  });

  it('gives a child whose stream differs from the parent and from its siblings', () => {
    const parent = createRng(2024);
    const child = parent.fork();
    const sibling = parent.fork();
    const childOutputs = draw(16, () => child.nextUint32());
    const siblingOutputs = draw(16, () => sibling.nextUint32());
    const parentOutputs = draw(16, () => parent.nextUint32());
    expect(childOutputs).not.toEqual(parentOutputs);
    expect(childOutputs).not.toEqual(siblingOutputs);
    expect(child.getState()).not.toEqual(parent.getState());
  });
});

describe('createRng statistics (fixed seeds; tolerances are at least 5 standard errors)', () => {
  it('has uniform mean 0.5 within 0.004 over 200k draws (standard error 0.00065)', () => {
    const rng = createRng(101);
    const values = draw(200_000, () => rng.uniform());
    expect(Math.abs(mean(values) - 0.5)).toBeLessThan(0.004);
    // Variance of U(0, 1) is 1/12; its standard error here is about 0.0002.
    expect(Math.abs(variance(values) - 1 / 12)).toBeLessThan(0.0015);
  });

  it('rolls each face of int(1, 6) within ±1 point of 1/6 over 120k draws (standard error 0.11 points)', () => {
    const rng = createRng(102);
    const values = draw(120_000, () => rng.int(1, 6));
    const faces = frequencies(values, 7);
    expect(faces[0]).toBe(0); // 0 is outside [1, 6]
    for (let face = 1; face <= 6; face++) {
      expect(Math.abs(faces[face]! - 1 / 6), `face ${face}`).toBeLessThan(0.01);
    }
  });

  it('returns true from bernoulli(0.15) at a rate within ±0.5 point over 200k draws (standard error 0.08 points)', () => {
    const rng = createRng(103);
    const values = draw(200_000, () => rng.bernoulli(0.15));
    const rate = values.filter(Boolean).length / values.length;
    expect(Math.abs(rate - 0.15)).toBeLessThan(0.005);
    expect(draw(100, () => rng.bernoulli(0))).not.toContain(true);
    expect(draw(100, () => rng.bernoulli(1))).not.toContain(false);
  });

  it('draws categorical([1, 2, 7]) at 0.1, 0.2, 0.7 within ±0.8 point over 100k draws (standard error ≤ 0.15 point)', () => {
    const rng = createRng(104);
    const values = draw(100_000, () => rng.categorical([1, 2, 7]));
    const observed = frequencies(values, 3);
    [0.1, 0.2, 0.7].forEach((expected, outcome) => {
      expect(Math.abs(observed[outcome]! - expected), `outcome ${outcome}`).toBeLessThan(0.008);
    });
  });

  it('gives poisson(3) mean within 0.03 and variance within 0.08 of 3 over 100k draws (standard errors 0.0055 and 0.0145)', () => {
    const rng = createRng(105);
    const values = draw(100_000, () => rng.poisson(3));
    expect(Math.abs(mean(values) - 3)).toBeLessThan(0.03);
    expect(Math.abs(variance(values) - 3)).toBeLessThan(0.08);
    // P(0) = e^-3 ≈ 0.0498, standard error 0.0007.
    const zeros = values.filter((value) => value === 0).length / values.length;
    expect(Math.abs(zeros - Math.exp(-3))).toBeLessThan(0.004);
  });

  it('gives normal mean within 0.02 of 0 and std within 0.012 of 1 over 100k draws (standard errors 0.0032 and 0.0022)', () => {
    const rng = createRng(106);
    const values = draw(100_000, () => rng.normal());
    expect(Math.abs(mean(values))).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(variance(values)) - 1)).toBeLessThan(0.012);
    // The shape, not only the moments: P(|z| < 1) = 0.6827, standard error 0.0015.
    const inside = values.filter((value) => Math.abs(value) < 1).length / values.length;
    expect(Math.abs(inside - 0.682_689)).toBeLessThan(0.008);
  });

  it('gives all 24 permutations of 4 items with equal frequency (chi-square over 48k shuffles < 70.5, p ≈ 1e-6 at 23 degrees of freedom)', () => {
    const rng = createRng(107);
    const shuffles = 48_000;
    const counts = new Map<string, number>();
    for (let index = 0; index < shuffles; index++) {
      const key = rng.shuffle(['a', 'b', 'c', 'd']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const expected = shuffles / 24;
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    expect(chiSquare).toBeLessThan(70.5);
  });
});

describe('createRng argument errors', () => {
  it.each([
    ['negative', -1, '-1'],
    ['fractional', 1.5, '1.5'],
    ['NaN', Number.NaN, 'NaN'],
    ['above MAX_SAFE_INTEGER', 2 ** 53, String(2 ** 53)],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ])('refuses a %s seed', (_, seed, received) => {
    expectInvalidArgument(() => createRng(seed), 'createRng', 'seed', [
      `Expected a finite integer in [0, ${Number.MAX_SAFE_INTEGER}]`,
      `received ${received}.`,
      'Fix: pass a non-negative integer seed such as 42.',
    ]);
  });

  it('refuses a seed that is not a number', () => {
    expectInvalidArgument(() => createRng('42' as unknown as number), 'createRng', 'seed', [
      'received "42".',
    ]);
  });

  it('refuses int(min, max) with max < min', () => {
    const error = expectInvalidArgument(() => createRng(1).int(6, 1), 'RandomSource.int', 'max', [
      'Expected a finite integer in [6, ',
      'received 1.',
      'pass max ≥ min',
    ]);
    expect(error.received).toBe(1);
  });

  it('refuses fractional int bounds', () => {
    expectInvalidArgument(() => createRng(1).int(0.5, 3), 'RandomSource.int', 'min', [
      'received 0.5.',
    ]);
  });

  it('refuses bernoulli(p) with p > 1', () => {
    expectInvalidArgument(() => createRng(1).bernoulli(1.5), 'RandomSource.bernoulli', 'p', [
      'Expected a finite number in [0, 1]',
      'received 1.5.',
      'probability between 0 and 1',
    ]);
  });

  it('refuses categorical weights that are all zero', () => {
    expectInvalidArgument(
      () => createRng(1).categorical([0, 0, 0]),
      'RandomSource.categorical',
      'weights',
      ['Expected at least one positive weight', 'received array of length 3 [0, 0, 0].'],
    );
  });

  it('refuses a negative categorical weight and names its index', () => {
    expectInvalidArgument(
      () => createRng(1).categorical([1, -0.5, 2]),
      'RandomSource.categorical',
      'weights[1]',
      ['Expected a finite, non-negative weight', 'received -0.5.'],
    );
  });

  it('refuses a NaN categorical weight', () => {
    expectInvalidArgument(
      () => createRng(1).categorical([1, Number.NaN]),
      'RandomSource.categorical',
      'weights[1]',
      ['received NaN.'],
    );
  });

  it('refuses poisson(λ) with λ > 500', () => {
    expectInvalidArgument(() => createRng(1).poisson(501), 'RandomSource.poisson', 'lambda', [
      'Expected a finite number in [0, 500]',
      'received 501.',
      'mean between 0 and 500',
    ]);
  });

  it('refuses a negative normal std', () => {
    expectInvalidArgument(() => createRng(1).normal(0, -1), 'RandomSource.normal', 'std', [
      'received -1.',
    ]);
  });

  it('refuses a state of the wrong length', () => {
    expectInvalidArgument(() => createRngFromState([1, 2, 3]), 'createRngFromState', 'state', [
      'Expected an array of four integers in [0, 2^32), not all zero',
      'received array of length 3 [1, 2, 3].',
      'Fix: pass the unchanged result of rng.getState().',
    ]);
  });

  it('refuses the all-zero state (xoshiro would output zeros forever)', () => {
    expectInvalidArgument(() => createRngFromState([0, 0, 0, 0]), 'createRngFromState', 'state', [
      'not all zero',
      'received array of length 4 [0, 0, 0, 0].',
    ]);
  });

  it('refuses state words outside [0, 2^32)', () => {
    expectInvalidArgument(
      () => createRngFromState([1, 2, 3, 2 ** 32]),
      'createRngFromState',
      'state',
    );
    expectInvalidArgument(() => createRngFromState([1, 2, -3, 4]), 'createRngFromState', 'state');
    expectInvalidArgument(() => createRngFromState([1, 2, 3.5, 4]), 'createRngFromState', 'state');
  });
});
