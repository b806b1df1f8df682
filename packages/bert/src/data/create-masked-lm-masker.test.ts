import { createRng, IGNORE_INDEX, type RandomSource } from '@lm-objectives/core';
import { expectInvalidArgument, readGolden } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { createMaskedLmMasker } from './create-masked-lm-masker';
import { MASK_ACTION } from './mask-action';
import type { MaskedLmResult } from './masked-lm-masker';
import type { MaskedLmMaskerOptions } from './masked-lm-masker-options';

// A small vocabulary: [PAD] 0, [CLS] 1, [SEP] 2, [MASK] 3, other specials 4–9, words 10–999.
const V = 1000;
const PAD = 0;
const CLS = 1;
const SEP = 2;
const MASK = 3;
const FIRST_WORD_ID = 10;

const BASE: MaskedLmMaskerOptions = {
  vocabularySize: V,
  maskTokenId: MASK,
  padTokenId: PAD,
  specialTokenIds: [CLS, SEP],
};

interface CountsFixture {
  lengths: number[];
  roundHalfEven: { value: number; rounded: number }[];
  exactRound: { rate: number; maxPredictions: number; counts: number[] }[];
  exactCeil: { rate: number; maxPredictions: number; counts: number[] }[];
}

const counts = readGolden<CountsFixture>(
  new URL('./__fixtures__/selection-counts.golden.json', import.meta.url),
);

/**
 * Rows `[CLS] w… [SEP] [PAD]…` of the given real lengths (specials included), padded to `length`,
 * with word ids drawn from `random`.
 */
function rows(realLengths: readonly number[], length: number, random: RandomSource): Int32Array {
  const ids = new Int32Array(realLengths.length * length).fill(PAD);
  realLengths.forEach((real, row) => {
    const offset = row * length;
    ids[offset] = CLS;
    for (let position = 1; position < real - 1; position++) {
      ids[offset + position] = random.int(FIRST_WORD_ID, V - 1);
    }
    ids[offset + real - 1] = SEP;
  });
  return ids;
}

/**
 * Checks every invariant linking the dense form, the gathered form, the actions and the inputs,
 * collecting the violations first (one assertion per batch keeps large batches fast).
 */
function expectConsistent(result: MaskedLmResult, input: Int32Array, maskTokenId = MASK): void {
  const [batchSize, length] = result.shape;
  const width = result.maxPredictions;
  const problems: string[] = [];
  let total = 0;
  for (let row = 0; row < batchSize; row++) {
    const selected: number[] = [];
    for (let position = 0; position < length; position++) {
      const index = row * length + position;
      const action = result.actions[index]!;
      const original = input[index]!;
      const label = result.labels[index]!;
      const corrupted = result.inputIds[index]!;
      if (action === MASK_ACTION.none) {
        if (label !== IGNORE_INDEX || corrupted !== original) problems.push(`unselected ${index}`);
        continue;
      }
      selected.push(position);
      if (label !== original) problems.push(`label ${index}`);
      if (action === MASK_ACTION.masked && corrupted !== maskTokenId)
        problems.push(`mask ${index}`);
      if (action === MASK_ACTION.kept && corrupted !== original) problems.push(`kept ${index}`);
    }
    if (result.predictionCounts[row] !== selected.length) problems.push(`count of row ${row}`);
    total += selected.length;
    for (let slot = 0; slot < width; slot++) {
      const at = row * width + slot;
      const position = selected[slot];
      const expected =
        position === undefined ? [0, 0, 0] : [position, input[row * length + position], 1];
      const actual = [result.maskedPositions[at], result.maskedIds[at], result.maskedWeights[at]];
      if (actual.some((value, index) => value !== expected[index])) problems.push(`slot ${at}`);
    }
  }
  expect(problems.slice(0, 10)).toEqual([]);
  expect(result.totalPredictions).toBe(total);
  // The flat form lists the same selections, row by row in increasing order: b·L + t.
  const flat: number[] = [];
  result.actions.forEach((action, index) => {
    if (action !== MASK_ACTION.none) flat.push(index);
  });
  expect(Array.from(result.scoredPositions)).toEqual(flat);
  expect(Array.from(result.scoredLabels)).toEqual(flat.map((index) => input[index]));
}

/** Shares of mask / random / keep among the selected positions, and the selected count. */
function actionShares(result: MaskedLmResult): {
  mask: number;
  random: number;
  keep: number;
  selected: number;
} {
  const tally = [0, 0, 0, 0];
  for (const action of result.actions) tally[action]!++;
  const selected = tally[1]! + tally[2]! + tally[3]!;
  return {
    mask: tally[1]! / selected,
    random: tally[2]! / selected,
    keep: tally[3]! / selected,
    selected,
  };
}

describe('createMaskedLmMasker: how many positions each policy selects', () => {
  it('agrees with Python 3 round (ties to even) on the fixture values', () => {
    // Through the masker: a row of n tokens at ratio r selects round(n·r) tokens.
    const masker = createMaskedLmMasker({ ...BASE, maxPredictions: 1000, selectionRatio: 0.15 });
    const lengthsWithTies = [10, 30, 50, 70, 90]; // n·0.15 = 1.5, 4.5, 7.5, 10.5, 13.5
    const result = masker.mask(
      { inputIds: rows(lengthsWithTies, 100, createRng(1)), shape: [5, 100] },
      createRng(2),
    );
    expect(Array.from(result.predictionCounts)).toEqual([2, 4, 8, 10, 14]);
    expect(counts.roundHalfEven.length).toBeGreaterThan(10);
  });

  for (const fixture of counts.exactRound.filter(
    (entry) => entry.maxPredictions !== 10_000 || entry.rate <= 0.3,
  )) {
    it(`exact-round matches the original generator's min(${fixture.maxPredictions}, max(1, round(n · ${fixture.rate}))) for every n, counting [CLS] and [SEP]`, () => {
      const maxPredictions = Math.min(fixture.maxPredictions, 400);
      const masker = createMaskedLmMasker({
        ...BASE,
        selectionRatio: fixture.rate,
        maxPredictions,
      });
      const lengths = counts.lengths.filter((n) => n >= 3 && n <= 400);
      const result = masker.mask(
        { inputIds: rows(lengths, 400, createRng(3)), shape: [lengths.length, 400] },
        createRng(4),
      );
      const expected = lengths.map((n) =>
        // The fixture's count, limited by the n − 2 selectable tokens and the cap used here.
        Math.min(fixture.counts[n]!, n - 2, maxPredictions),
      );
      expect(Array.from(result.predictionCounts)).toEqual(expected);
    });
  }

  for (const fixture of counts.exactCeil.filter(
    (entry) => entry.maxPredictions !== 10_000 || entry.rate <= 0.3,
  )) {
    it(`exact-ceil matches TensorFlow Text's min(ceil(float32(m) · float32(${fixture.rate})), ${fixture.maxPredictions}) of the m selectable tokens`, () => {
      const maxPredictions = Math.min(fixture.maxPredictions, 400);
      const masker = createMaskedLmMasker({
        ...BASE,
        selection: 'exact-ceil',
        selectionRatio: fixture.rate,
        maxPredictions,
      });
      const lengths = counts.lengths.filter((n) => n >= 3 && n <= 402);
      const result = masker.mask(
        { inputIds: rows(lengths, 402, createRng(5)), shape: [lengths.length, 402] },
        createRng(6),
      );
      const expected = lengths.map((n) => Math.min(fixture.counts[n - 2]!, n - 2, maxPredictions));
      expect(Array.from(result.predictionCounts)).toEqual(expected);
    });
  }

  it('counts only real tokens in n: padding given by the attention mask is excluded', () => {
    const masker = createMaskedLmMasker({
      vocabularySize: V,
      maskTokenId: MASK,
      specialTokenIds: [CLS, SEP, PAD],
    });
    // 30 real tokens padded to 100: round(30 · 0.15) = 4 (a tie rounded to even), not round(15) = 15.
    const inputIds = rows([30], 100, createRng(7));
    const attentionMask = new Uint8Array(100).fill(1, 0, 30);
    const result = masker.mask({ inputIds, attentionMask }, createRng(8));
    expect(result.totalPredictions).toBe(4);
    // Without any padding information, all 100 positions count: round(15) = 15 of the 28 words.
    const unaware = createMaskedLmMasker({
      vocabularySize: V,
      maskTokenId: MASK,
      specialTokenIds: [CLS, SEP, PAD],
    });
    expect(unaware.mask({ inputIds }, createRng(8)).totalPredictions).toBe(15);
  });

  it('selects at least one token even at ratio 0 with exact-round (the original max(1, …))', () => {
    const masker = createMaskedLmMasker({ ...BASE, selectionRatio: 0 });
    const result = masker.mask(
      { inputIds: rows([12, 40], 40, createRng(9)), shape: [2, 40] },
      createRng(10),
    );
    expect(Array.from(result.predictionCounts)).toEqual([1, 1]);
  });

  it('pads the gathered form to max(1, ⌈L · ratio⌉) by default: 20 at L = 128, 77 at L = 512', () => {
    const masker = createMaskedLmMasker(BASE);
    for (const [length, width] of [
      [128, 20],
      [512, 77],
      [4, 1],
    ] as const) {
      const result = masker.mask(
        { inputIds: rows([length], length, createRng(11)) },
        createRng(12),
      );
      expect(result.maxPredictions).toBe(width);
      expect(result.maskedPositions).toHaveLength(width);
    }
  });

  it('caps exact policies at maxPredictions', () => {
    const masker = createMaskedLmMasker({ ...BASE, maxPredictions: 5 });
    const result = masker.mask(
      { inputIds: rows([128, 20], 128, createRng(13)), shape: [2, 128] },
      createRng(14),
    );
    // round(128 · 0.15) = 19 capped to 5; round(20 · 0.15) = 3.
    expect(Array.from(result.predictionCounts)).toEqual([5, 3]);
    expect(result.maxPredictions).toBe(5);
  });
});

describe('createMaskedLmMasker: statistics over 204,800 tokens (400 rows of 512)', () => {
  const batchSize = 400;
  const length = 512;
  const inputIds = rows(new Array(batchSize).fill(length), length, createRng(20));

  for (const selection of ['exact-round', 'exact-ceil', 'bernoulli'] as const) {
    it(`${selection}: selects 15% of the selectable tokens within ±0.5 point and splits them 80/10/10 within ±1 point`, () => {
      const masker = createMaskedLmMasker({ ...BASE, selection });
      const result = masker.mask({ inputIds, shape: [batchSize, length] }, createRng(21));
      const selectable = batchSize * (length - 2);
      const rate = result.totalPredictions / selectable;
      expect(Math.abs(rate - 0.15), `selection rate ${rate}`).toBeLessThan(0.005);
      const shares = actionShares(result);
      expect(shares.selected).toBe(result.totalPredictions);
      expect(Math.abs(shares.mask - 0.8), `mask ${shares.mask}`).toBeLessThan(0.01);
      expect(Math.abs(shares.random - 0.1), `random ${shares.random}`).toBeLessThan(0.01);
      expect(Math.abs(shares.keep - 0.1), `keep ${shares.keep}`).toBeLessThan(0.01);
      // [CLS] and [SEP] are never selected.
      for (let row = 0; row < batchSize; row++) {
        expect(result.actions[row * length]).toBe(MASK_ACTION.none);
        expect(result.actions[row * length + length - 1]).toBe(MASK_ACTION.none);
      }
      expectConsistent(result, inputIds);
    });
  }

  it('honours other absolute probabilities (masked 0.5, random 0.3, kept 0.2)', () => {
    const masker = createMaskedLmMasker({
      ...BASE,
      maskTokenProbability: 0.5,
      randomTokenProbability: 0.3,
    });
    const shares = actionShares(
      masker.mask({ inputIds, shape: [batchSize, length] }, createRng(22)),
    );
    expect(Math.abs(shares.mask - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(shares.random - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(shares.keep - 0.2)).toBeLessThan(0.01);
  });

  it('bernoulli: the count per row varies and can be 0; ratios 0 and 1 select nothing and everything', () => {
    const short = rows(new Array(2000).fill(5), 5, createRng(23)); // 3 selectable tokens per row
    const masker = createMaskedLmMasker({ ...BASE, selection: 'bernoulli' });
    const result = masker.mask({ inputIds: short, shape: [2000, 5] }, createRng(24));
    const histogram = [0, 0, 0, 0];
    for (const count of result.predictionCounts) histogram[count]!++;
    // P(0) = 0.85³ ≈ 0.614, standard error 0.011.
    expect(Math.abs(histogram[0]! / 2000 - 0.85 ** 3)).toBeLessThan(0.05);
    expect(histogram[3]).toBeGreaterThan(0);
    expect(result.maxPredictions).toBe(3);
    const none = createMaskedLmMasker({ ...BASE, selection: 'bernoulli', selectionRatio: 0 });
    expect(none.mask({ inputIds: short, shape: [2000, 5] }, createRng(25)).totalPredictions).toBe(
      0,
    );
    const all = createMaskedLmMasker({ ...BASE, selection: 'bernoulli', selectionRatio: 1 });
    expect(all.mask({ inputIds: short, shape: [2000, 5] }, createRng(25)).totalPredictions).toBe(
      6000,
    );
  });

  it('bernoulli with a cap keeps a uniformly random subset, not the first positions', () => {
    const masker = createMaskedLmMasker({ ...BASE, selection: 'bernoulli', maxPredictions: 40 });
    const result = masker.mask({ inputIds, shape: [batchSize, length] }, createRng(26));
    let positionSum = 0;
    for (let row = 0; row < batchSize; row++) {
      expect(result.predictionCounts[row]).toBeLessThanOrEqual(40);
      for (let slot = 0; slot < result.predictionCounts[row]!; slot++) {
        positionSum += result.maskedPositions[row * 40 + slot]!;
      }
    }
    // Positions 1..510 are selectable: mean 255.5 (standard error ≈ 147 / sqrt(16000) ≈ 1.2).
    expect(Math.abs(positionSum / result.totalPredictions - 255.5)).toBeLessThan(8);
    expect(result.maxPredictions).toBe(40);
  });
});

describe('createMaskedLmMasker: what it writes', () => {
  it('keeps the dense labels, the gathered form, the actions and the corrupted ids consistent, and never modifies its inputs', () => {
    const inputIds = rows([20, 64, 7, 64], 64, createRng(30));
    const copy = inputIds.slice();
    const attentionMask = new Uint8Array(inputIds.map((id) => (id === PAD ? 0 : 1)));
    const maskCopy = attentionMask.slice();
    for (const selection of ['exact-round', 'exact-ceil', 'bernoulli'] as const) {
      const masker = createMaskedLmMasker({ ...BASE, selection });
      const result = masker.mask({ inputIds, shape: [4, 64], attentionMask }, createRng(31));
      expectConsistent(result, inputIds);
      expect(result.inputIds).not.toBe(inputIds);
    }
    expect(inputIds).toEqual(copy);
    expect(attentionMask).toEqual(maskCopy);
  });

  it('draws random replacements from the non-special ids by default', () => {
    const masker = createMaskedLmMasker({
      ...BASE,
      specialTokenIds: [CLS, SEP, 4, 5, 6, 7, 8, 9],
      maskTokenProbability: 0,
      randomTokenProbability: 1,
    });
    const inputIds = rows(new Array(200).fill(128), 128, createRng(32));
    const result = masker.mask({ inputIds, shape: [200, 128] }, createRng(33));
    const replaced = new Set<number>();
    result.actions.forEach((action, index) => {
      if (action === MASK_ACTION.random) replaced.add(result.inputIds[index]!);
    });
    expect(replaced.size).toBeGreaterThan(900);
    expect([...replaced].every((id) => id >= FIRST_WORD_ID)).toBe(true);
  });

  it("draws from the whole vocabulary, specials included, with randomTokenPool: 'vocabulary' (parity)", () => {
    const masker = createMaskedLmMasker({
      ...BASE,
      maskTokenProbability: 0,
      randomTokenProbability: 1,
      randomTokenPool: 'vocabulary',
    });
    const inputIds = rows(new Array(400).fill(128), 128, createRng(34));
    const result = masker.mask({ inputIds, shape: [400, 128] }, createRng(35));
    const replaced = new Set<number>();
    result.actions.forEach((action, index) => {
      if (action === MASK_ACTION.random) replaced.add(result.inputIds[index]!);
    });
    // 7600 draws over 1000 ids: every special id comes up (P(miss one) ≈ e^-7.6).
    expect([PAD, CLS, SEP, MASK].every((id) => replaced.has(id))).toBe(true);
  });

  it('draws from an explicit pool of ids', () => {
    const masker = createMaskedLmMasker({
      ...BASE,
      maskTokenProbability: 0.2,
      randomTokenProbability: 0.8,
      randomTokenPool: [500, 501],
    });
    const inputIds = rows(new Array(50).fill(64), 64, createRng(36));
    const result = masker.mask({ inputIds, shape: [50, 64] }, createRng(37));
    const replaced = new Set<number>();
    result.actions.forEach((action, index) => {
      if (action === MASK_ACTION.random) replaced.add(result.inputIds[index]!);
    });
    expect([...replaced].sort()).toEqual([500, 501]);
  });

  it('never selects the ids it is told are unselectable', () => {
    const masker = createMaskedLmMasker({
      ...BASE,
      specialTokenIds: [CLS, SEP, ...range(10, 500)],
    });
    const inputIds = rows(new Array(100).fill(128), 128, createRng(38));
    const result = masker.mask({ inputIds, shape: [100, 128] }, createRng(39));
    expect(result.totalPredictions).toBeGreaterThan(1000);
    result.actions.forEach((action, index) => {
      if (action !== MASK_ACTION.none) expect(inputIds[index]).toBeGreaterThanOrEqual(500);
    });
  });

  it('gives the same batch for the same seed and another one for another seed', () => {
    const masker = createMaskedLmMasker(BASE);
    const inputIds = rows([64, 64, 40], 64, createRng(40));
    const first = masker.mask({ inputIds, shape: [3, 64] }, createRng(41));
    const again = masker.mask({ inputIds, shape: [3, 64] }, createRng(41));
    const other = masker.mask({ inputIds, shape: [3, 64] }, createRng(42));
    expect(again).toEqual(first);
    expect(other.inputIds).not.toEqual(first.inputIds);
  });

  it('accepts plain arrays as well as typed arrays', () => {
    const masker = createMaskedLmMasker(BASE);
    const inputIds = rows([32], 32, createRng(43));
    const typed = masker.mask({ inputIds }, createRng(44));
    const plain = masker.mask(
      { inputIds: Array.from(inputIds), attentionMask: new Array(32).fill(1) },
      createRng(44),
    );
    expect(plain).toEqual(typed);
  });
});

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, index) => start + index);
}

/** Rows made of words of 1–4 sub-tokens, with per-token word ids restarting in segment B. */
function wordRows(batchSize: number, length: number, random: RandomSource) {
  const inputIds = new Int32Array(batchSize * length);
  const wordIds = new Int32Array(batchSize * length).fill(-1);
  for (let row = 0; row < batchSize; row++) {
    const offset = row * length;
    inputIds[offset] = CLS;
    let position = 1;
    let word = 0;
    const middle = length >> 1;
    while (position < length - 1) {
      if (position === middle) {
        inputIds[offset + position++] = SEP; // a pair: word ids restart after the first [SEP]
        word = 0;
        continue;
      }
      const size = Math.min(
        random.int(1, 4),
        length - 1 - position,
        position < middle ? middle - position : length,
      );
      for (let piece = 0; piece < size; piece++) {
        inputIds[offset + position] = random.int(FIRST_WORD_ID, V - 1);
        wordIds[offset + position] = word;
        position++;
      }
      word++;
    }
    inputIds[offset + length - 1] = SEP;
  }
  return { inputIds, wordIds };
}

/** The [start, end) runs of consecutive tokens sharing a non-negative word id in one row. */
function wordRuns(wordIds: Int32Array, offset: number, length: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let position = 0; position < length; position++) {
    const word = wordIds[offset + position]!;
    if (word < 0) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === position && wordIds[offset + position - 1] === word) last[1]++;
    else runs.push([position, position + 1]);
  }
  return runs;
}

describe('createMaskedLmMasker: whole-word masking', () => {
  const batchSize = 300;
  const length = 256;
  const { inputIds, wordIds } = wordRows(batchSize, length, createRng(50));

  for (const selection of ['exact-round', 'exact-ceil', 'bernoulli'] as const) {
    it(`${selection}: never splits a word, and per-word replacement never mixes actions within a word`, () => {
      const masker = createMaskedLmMasker({ ...BASE, selection });
      const result = masker.mask({ inputIds, shape: [batchSize, length], wordIds }, createRng(51));
      let words = 0;
      for (let row = 0; row < batchSize; row++) {
        for (const [start, end] of wordRuns(wordIds, row * length, length)) {
          const actions = new Set(
            Array.from(result.actions.subarray(row * length + start, row * length + end)),
          );
          expect(actions.size, `row ${row}, word [${start}, ${end})`).toBe(1);
          if (!actions.has(MASK_ACTION.none)) words++;
        }
      }
      expect(words).toBeGreaterThan(1000);
      const rate = result.totalPredictions / (batchSize * (length - 3));
      expect(Math.abs(rate - 0.15), `token selection rate ${rate}`).toBeLessThan(0.01);
      expectConsistent(result, inputIds);
    });
  }

  it('exact-round never exceeds the token budget: it skips words that would overflow it', () => {
    const masker = createMaskedLmMasker(BASE);
    const result = masker.mask({ inputIds, shape: [batchSize, length], wordIds }, createRng(52));
    const budget = Math.round(length * 0.15); // 38.4 → 38
    for (const count of result.predictionCounts) expect(count).toBeLessThanOrEqual(budget);
    // Skipping is rare enough that most rows fill the budget exactly.
    const full = Array.from(result.predictionCounts).filter((count) => count === budget).length;
    expect(full / batchSize).toBeGreaterThan(0.5);
  });

  it("replacement: 'per-token' (the original's parity) does mix actions within words", () => {
    const masker = createMaskedLmMasker({ ...BASE, replacement: 'per-token' });
    const result = masker.mask({ inputIds, shape: [batchSize, length], wordIds }, createRng(53));
    let mixed = 0;
    for (let row = 0; row < batchSize; row++) {
      for (const [start, end] of wordRuns(wordIds, row * length, length)) {
        const actions = new Set(
          Array.from(result.actions.subarray(row * length + start, row * length + end)),
        );
        expect(actions.has(MASK_ACTION.none) && actions.size > 1).toBe(false); // still never split
        if (actions.size > 1) mixed++;
      }
    }
    expect(mixed).toBeGreaterThan(100);
  });

  it('groups WordPiece continuation ids with the token before them, as the original did', () => {
    const continuation = range(500, 1000); // ids ≥ 500 play the '##…' pieces
    const masker = createMaskedLmMasker({ ...BASE, continuationTokenIds: continuation });
    const random = createRng(54);
    const rowsIds = new Int32Array(200 * 64);
    for (let row = 0; row < 200; row++) {
      rowsIds[row * 64] = CLS;
      // A continuation right after [CLS] starts its own word.
      for (let position = 1; position < 63; position++)
        rowsIds[row * 64 + position] = random.int(10, 999);
      rowsIds[row * 64 + 63] = SEP;
    }
    const result = masker.mask({ inputIds: rowsIds, shape: [200, 64] }, createRng(55));
    for (let row = 0; row < 200; row++) {
      for (let position = 2; position < 63; position++) {
        const index = row * 64 + position;
        if (rowsIds[index]! >= 500) {
          // A continuation piece shares its action with the token before it.
          expect(result.actions[index]).toBe(result.actions[index - 1]);
        }
      }
    }
    expect(result.totalPredictions).toBeGreaterThan(1000);
  });
});

describe('createMaskedLmMasker: invalid options and inputs', () => {
  const fn = 'createMaskedLmMasker';
  it.each([
    ['a missing vocabularySize', { maskTokenId: 3 }, 'options.vocabularySize', 'required option'],
    [
      'a fractional vocabularySize',
      { ...BASE, vocabularySize: 10.5 },
      'options.vocabularySize',
      '',
    ],
    [
      'a maskTokenId outside the vocabulary',
      { ...BASE, maskTokenId: 1000 },
      'options.maskTokenId',
      '[0, 1000)',
    ],
    [
      'a selectionRatio above 1',
      { ...BASE, selectionRatio: 1.5 },
      'options.selectionRatio',
      '[0, 1]',
    ],
    [
      'a negative randomTokenProbability',
      { ...BASE, randomTokenProbability: -0.1 },
      'options.randomTokenProbability',
      '[0, 1]',
    ],
    [
      'probabilities summing above 1 (a conditional 0.5 read as absolute)',
      { ...BASE, randomTokenProbability: 0.5 },
      'options.randomTokenProbability',
      'absolute probabilities',
    ],
    [
      'an unknown selection policy',
      { ...BASE, selection: 'round' },
      'options.selection',
      "'exact-round', 'exact-ceil', 'bernoulli'",
    ],
    [
      'an unknown replacement',
      { ...BASE, replacement: 'whole' },
      'options.replacement',
      "'per-word', 'per-token'",
    ],
    [
      'a snake_case option',
      { ...BASE, mask_token_id: 3 },
      'options.mask_token_id',
      'unknown option',
    ],
    [
      'maxPredictions 0',
      { ...BASE, maxPredictions: 0 },
      'options.maxPredictions',
      'integer in [1,',
    ],
    [
      'a maskTokenId equal to padTokenId (padding would look masked)',
      { ...BASE, padTokenId: MASK },
      'options.padTokenId',
      'options.maskTokenId',
    ],
    [
      'a misspelt option, suggesting the closest name',
      { ...BASE, selection_ratio: 0.2 },
      'options.selection_ratio',
      "did you mean 'selectionRatio'",
    ],
    [
      'an option under its name before 0.1, naming the new one',
      { ...BASE, maskTokenRate: 0.8 },
      'options.maskTokenRate',
      'use maskTokenProbability instead',
    ],
    [
      'a special id outside the vocabulary',
      { ...BASE, specialTokenIds: [1, -1] },
      'options.specialTokenIds[1]',
      '[0, 1000)',
    ],
    [
      'an unknown random pool name',
      { ...BASE, randomTokenPool: 'all' },
      'options.randomTokenPool',
      "'non-special', 'vocabulary'",
    ],
    [
      'an empty random pool with random replacements',
      { ...BASE, randomTokenPool: [] },
      'options.randomTokenPool',
      'at least one id',
    ],
    [
      'continuation ids that are strings',
      { ...BASE, continuationTokenIds: ['##s'] },
      'options.continuationTokenIds[0]',
      'integer',
    ],
    ['options that are not an object', null, 'options', 'an options object'],
  ])('refuses %s', (_, options, argumentName, fragment) => {
    expectInvalidArgument(
      () => createMaskedLmMasker(options as unknown as MaskedLmMaskerOptions),
      fn,
      argumentName,
      fragment ? [fragment] : [],
    );
  });

  it('accepts an empty pool when no random replacement is drawn', () => {
    expect(() =>
      createMaskedLmMasker({ ...BASE, randomTokenProbability: 0, randomTokenPool: [] }),
    ).not.toThrow();
  });

  const masker = createMaskedLmMasker(BASE);
  const mask = 'MaskedLmMasker.mask';
  it('refuses a token id outside the vocabulary, naming its flat index', () => {
    const inputIds = rows([10], 10, createRng(60));
    inputIds[4] = 1000;
    expectInvalidArgument(
      () => masker.mask({ inputIds }, createRng(1)),
      mask,
      'input.inputIds[4]',
      ['an integer in [0, 1000)', 'received 1000'],
    );
    inputIds[4] = -5;
    expectInvalidArgument(() => masker.mask({ inputIds }, createRng(1)), mask, 'input.inputIds[4]');
  });

  it('refuses a shape that does not match the ids, and word ids or masks of another length', () => {
    const inputIds = rows([10, 10], 10, createRng(61));
    expectInvalidArgument(
      () => masker.mask({ inputIds, shape: [3, 10] }, createRng(1)),
      mask,
      'input.shape',
      ['B · L = 20'],
      'shape',
    );
    expectInvalidArgument(
      () => masker.mask({ inputIds, shape: [2, 10], wordIds: new Int32Array(19) }, createRng(1)),
      mask,
      'input.wordIds',
      ['20 values'],
      'shape',
    );
    expectInvalidArgument(
      () =>
        masker.mask(
          {
            inputIds,
            shape: [2, 10],
            attentionMask: new Uint8Array(19).fill(1),
          },
          createRng(1),
        ),
      mask,
      'input.attentionMask',
      [],
      'shape',
    );
  });

  it('refuses an attention mask value other than 0 and 1, naming its flat index', () => {
    const inputIds = rows([10], 10, createRng(62));
    const attentionMask = new Array(10).fill(1);
    attentionMask[7] = 2;
    expectInvalidArgument(
      () => masker.mask({ inputIds, attentionMask }, createRng(1)),
      mask,
      'input.attentionMask[7]',
      ['received 2'],
    );
  });

  it('refuses ids that are not integers, a missing input and a missing random source', () => {
    expectInvalidArgument(
      () => masker.mask({ inputIds: [1, 2.5, 2] }, createRng(1)),
      mask,
      'input.inputIds[1]',
      ['an integer'],
    );
    expectInvalidArgument(
      () => masker.mask({ inputIds: 'hello' as unknown as number[] }, createRng(1)),
      mask,
      'input.inputIds',
    );
    expectInvalidArgument(() => masker.mask(undefined as never, createRng(1)), mask, 'input');
    expectInvalidArgument(
      () => masker.mask({ inputIds: [1, 5, 2] }, undefined as never),
      mask,
      'random',
      ['createRng'],
    );
  });
});
