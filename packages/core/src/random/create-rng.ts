import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { checkNumberInRange } from '../validation/check-number-in-range';
import type { RandomSource } from './random-source';

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

/** One step of splitmix32: the seeding mixer (also used by `fork`). Returns [nextState, output]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** Four state words from two 32-bit seed words, never all zero (xoshiro's one forbidden state). */
function expandSeed(low: number, high: number): [number, number, number, number] {
  let state = low >>> 0;
  const words: number[] = [];
  for (let index = 0; index < 4; index++) {
    if (index === 2) state = (state ^ high) >>> 0;
    const [next, output] = splitmix32(state);
    state = next;
    words.push(output);
  }
  // splitmix32's output mixer is a bijection of distinct states, so words 0 and 1 can never both be
  // zero: xoshiro's forbidden all-zero state is unreachable from any seed.
  return words as [number, number, number, number];
}

/**
 * Creates a seeded, splittable {@link RandomSource}: xoshiro128** (Blackman & Vigna) seeded through
 * splitmix32. The same seed produces the same sequence on every platform, in Node and in browsers.
 *
 * @param seed a non-negative safe integer (e.g. `42`); its low and high 32 bits both matter.
 * @example
 * const rng = createRng(42);
 * rng.int(1, 6); // a die roll, the same on every machine
 * const child = rng.fork(); // independent stream, e.g. for another worker
 */
export function createRng(seed: number): RandomSource {
  checkNumberInRange(
    { functionName: 'createRng', argumentName: 'seed' },
    seed,
    { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
    'pass a non-negative integer seed such as 42.',
  );
  return fromWords(expandSeed(seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)));
}

/**
 * Recreates a {@link RandomSource} from {@link RandomSource.getState}'s four words, continuing the
 * sequence exactly where it was saved (used to resume training from a checkpoint).
 */
export function createRngFromState(state: readonly number[]): RandomSource {
  const valid =
    Array.isArray(state) &&
    state.length === 4 &&
    state.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32) &&
    state.some((word) => word !== 0);
  if (!valid) {
    throw new InvalidArgumentError({
      functionName: 'createRngFromState',
      argumentName: 'state',
      expected: 'an array of four integers in [0, 2^32), not all zero, as returned by getState()',
      received: state,
      fix: 'pass the unchanged result of rng.getState().',
    });
  }
  return fromWords([state[0]!, state[1]!, state[2]!, state[3]!]);
}

function fromWords(initial: [number, number, number, number]): RandomSource {
  // The state is kept as signed int32 (`| 0`): V8 stores those unboxed, while uint32 values above
  // 2^31 (`>>> 0`) become heap numbers, which made every draw about twice as slow. The bits, and so
  // the stream, are the same; only the output is converted to unsigned.
  let s0 = initial[0] | 0;
  let s1 = initial[1] | 0;
  let s2 = initial[2] | 0;
  let s3 = initial[3] | 0;

  const nextUint32 = (): number => {
    const scaled = Math.imul(s1, 5);
    const result = Math.imul((scaled << 7) | (scaled >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };

  const uniform = (): number => {
    const high = nextUint32() >>> 5; // 27 bits
    const low = nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  };

  /** Unbiased integer in [0, range) by rejection below the largest multiple of `range`. */
  const below = (range: number): number => {
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let draw = nextUint32();
    while (draw >= limit) draw = nextUint32();
    return draw % range;
  };

  const source: RandomSource = {
    nextUint32,
    uniform,
    int(min, max) {
      const site = { functionName: 'RandomSource.int', argumentName: 'min' };
      checkNumberInRange(
        site,
        min,
        { integer: true, min: -Number.MAX_SAFE_INTEGER },
        'pass integer bounds.',
      );
      checkNumberInRange(
        { ...site, argumentName: 'max' },
        max,
        { integer: true, min, max: min + TWO_POW_32 - 1 },
        'pass max ≥ min, at most 2^32 − 1 above min (both ends are included).',
      );
      return min + below(max - min + 1);
    },
    bernoulli(p) {
      checkNumberInRange(
        { functionName: 'RandomSource.bernoulli', argumentName: 'p' },
        p,
        { min: 0, max: 1 },
        'pass a probability between 0 and 1.',
      );
      return uniform() < p;
    },
    shuffle(items) {
      for (let index = items.length - 1; index > 0; index--) {
        const other = below(index + 1);
        const kept = items[index]!;
        items[index] = items[other]!;
        items[other] = kept;
      }
      return items;
    },
    categorical(weights) {
      let total = 0;
      for (let index = 0; index < weights.length; index++) {
        const weight = weights[index]!;
        if (!(weight >= 0) || !Number.isFinite(weight)) {
          throw new InvalidArgumentError({
            functionName: 'RandomSource.categorical',
            argumentName: `weights[${index}]`,
            expected: 'a finite, non-negative weight',
            received: weight,
            fix: 'pass non-negative finite weights (they need not sum to 1).',
          });
        }
        total += weight;
      }
      if (!(total > 0)) {
        throw new InvalidArgumentError({
          functionName: 'RandomSource.categorical',
          argumentName: 'weights',
          expected: 'at least one positive weight',
          received: weights,
          fix: 'give at least one outcome a positive weight.',
        });
      }
      const target = uniform() * total;
      let cumulative = 0;
      let lastPositive = 0;
      for (let index = 0; index < weights.length; index++) {
        const weight = weights[index]!;
        if (weight === 0) continue;
        lastPositive = index;
        cumulative += weight;
        if (target < cumulative) return index;
      }
      return lastPositive; // rounding left target ≥ the float sum: the last possible outcome
    },
    poisson(lambda) {
      checkNumberInRange(
        { functionName: 'RandomSource.poisson', argumentName: 'lambda' },
        lambda,
        { min: 0, max: 500 },
        'pass a mean between 0 and 500.',
      );
      const threshold = Math.exp(-lambda);
      let count = 0;
      let product = uniform();
      while (product > threshold) {
        count++;
        product *= uniform();
      }
      return count;
    },
    normal(mean = 0, std = 1) {
      checkNumberInRange(
        { functionName: 'RandomSource.normal', argumentName: 'std' },
        std,
        { min: 0 },
        'pass a non-negative standard deviation.',
      );
      const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      return mean + std * radius * Math.cos(2 * Math.PI * uniform());
    },
    fork() {
      return fromWords(expandSeed(nextUint32(), nextUint32()));
    },
    getState() {
      return [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0];
    },
  };
  return source;
}
