import { createRng, IGNORE_INDEX } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import type { BertPairExample } from '../bert-pair-example';
import { type BertBatchOptions, createBertBatch } from './create-bert-batch';
import { createMaskedLmMasker } from './create-masked-lm-masker';
import { MASK_ACTION } from './mask-action';

const [PAD, CLS, SEP, MASK] = [0, 1, 2, 3] as const;
const V = 100;

function example(ids: number[], split: number, label: 0 | 1, wordIds?: number[]): BertPairExample {
  return {
    inputIds: Int32Array.from(ids),
    tokenTypeIds: Int32Array.from(ids.map((_, index) => (index < split ? 0 : 1))),
    nextSentenceLabel: label,
    ...(wordIds ? { wordIds: Int32Array.from(wordIds) } : {}),
  };
}

const SHORT = example([CLS, 10, SEP, 20, SEP], 3, 0);
const LONG = example([CLS, 10, 11, SEP, 20, 21, 22, SEP], 4, 1);

/** A masker that selects but never changes a token, so the padded ids can be read back. */
const keeping = createMaskedLmMasker({
  vocabularySize: V,
  maskTokenId: MASK,
  specialTokenIds: [CLS, SEP],
  maskTokenProbability: 0,
  randomTokenProbability: 0,
});
const masker = createMaskedLmMasker({
  vocabularySize: V,
  maskTokenId: MASK,
  specialTokenIds: [CLS, SEP],
  selectionRatio: 0.5,
});
const BASE: BertBatchOptions = { masker: keeping, padTokenId: PAD };

describe('createBertBatch: padding', () => {
  it('right-pads ids with [PAD] and token types with 0, marks real tokens, and keeps the NSP labels', () => {
    const batch = createBertBatch([SHORT, LONG], BASE, createRng(1));
    expect(batch.dimensions).toMatchObject({ batch: 2, sequence: 8 });
    expect(Array.from(batch.fields.inputIds.data)).toEqual([
      1, 10, 2, 20, 2, 0, 0, 0, 1, 10, 11, 2, 20, 21, 22, 2,
    ]);
    expect(Array.from(batch.fields.tokenTypeIds.data)).toEqual([
      0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
    ]);
    expect(Array.from(batch.fields.attentionMask.data)).toEqual([
      1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
    ]);
    expect(Array.from(batch.fields.nextSentenceLabels.data)).toEqual([0, 1]);
    expect(batch.counts.nextSentence).toBe(2);
  });

  it("pads to the longest row by default, to maxLength with padding: 'max-length', and rounds up to padToMultipleOf", () => {
    const length = (options: Partial<BertBatchOptions>) =>
      createBertBatch([SHORT], { ...BASE, ...options }, createRng(2)).dimensions['sequence'];
    expect(length({})).toBe(5);
    expect(length({ maxLength: 16 })).toBe(5);
    expect(length({ maxLength: 16, padding: 'max-length' })).toBe(16);
    expect(length({ padToMultipleOf: 4 })).toBe(8);
    expect(length({ maxLength: 16, padToMultipleOf: 8 })).toBe(8);
    const padded = createBertBatch(
      [SHORT],
      { ...BASE, padTokenId: 9, maxLength: 7, padding: 'max-length' },
      createRng(2),
    );
    expect(Array.from(padded.fields.inputIds.data)).toEqual([1, 10, 2, 20, 2, 9, 9]);
  });
});

describe('createBertBatch: what the loss scores', () => {
  it('lists every selected position once as b·L + t with its original id, matching the dense and gathered forms', () => {
    const random = createRng(3);
    const examples = Array.from({ length: 6 }, (_, row) =>
      example(
        [CLS, ...Array.from({ length: 3 + row }, () => random.int(10, V - 1)), SEP, 50, 51, SEP],
        5 + row,
        (row % 2) as 0 | 1,
      ),
    );
    const batch = createBertBatch(examples, { masker, padTokenId: PAD }, createRng(4));
    const { labels, scoredPositions, scoredLabels, maskedPositions, maskedIds, maskedWeights } =
      batch.fields;
    const length = batch.dimensions['sequence']!;
    const width = batch.dimensions['predictions']!;
    const dense: number[] = [];
    labels.data.forEach((label, index) => {
      if (label !== IGNORE_INDEX) dense.push(index);
    });
    const gathered: number[] = [];
    maskedWeights.data.forEach((weight, slot) => {
      if (weight === 1)
        gathered.push(Math.floor(slot / width) * length + maskedPositions.data[slot]!);
    });
    expect(dense.length).toBeGreaterThan(10);
    expect(Array.from(scoredPositions.data)).toEqual(dense);
    expect(Array.from(scoredPositions.data)).toEqual(gathered);
    expect(Array.from(scoredLabels.data)).toEqual(dense.map((index) => labels.data[index]));
    expect(Array.from(scoredLabels.data)).toEqual(
      Array.from(maskedIds.data).filter((_, slot) => maskedWeights.data[slot] === 1),
    );
    expect(batch.dimensions['scored']).toBe(dense.length);
    expect(scoredPositions.shape).toEqual([dense.length]);
    expect(batch.counts.maskedLm).toBe(dense.length);
    // Selected positions hold their original id as the label; [CLS], [SEP] and padding never do.
    for (const index of dense) {
      expect(batch.maskActions[index]).not.toBe(MASK_ACTION.none);
      expect([CLS, SEP, PAD]).not.toContain(labels.data[index]);
    }
  });

  it('masks whole words when the examples carry word ids', () => {
    const words = example([CLS, 10, 11, 12, SEP, 20, 21, SEP], 5, 0, [-1, 0, 0, 0, -1, 0, 0, -1]);
    const wordMasker = createMaskedLmMasker({
      vocabularySize: V,
      maskTokenId: MASK,
      specialTokenIds: [CLS, SEP],
      selection: 'bernoulli',
      selectionRatio: 0.5,
    });
    for (let seed = 0; seed < 20; seed++) {
      const { maskActions } = createBertBatch(
        [words],
        { masker: wordMasker, padTokenId: PAD },
        createRng(seed),
      );
      expect(new Set(maskActions.subarray(1, 4)).size).toBe(1);
      expect(new Set(maskActions.subarray(5, 7)).size).toBe(1);
    }
  });
});

describe('createBertBatch: bad input', () => {
  const fn = 'createBertBatch';
  const run =
    (examples: unknown, options: unknown = BASE) =>
    () =>
      createBertBatch(examples as BertPairExample[], options as BertBatchOptions, createRng(1));

  it('refuses an empty batch, an example longer than maxLength and a label other than 0/1', () => {
    expectInvalidArgument(run([]), fn, 'examples', ['non-empty']);
    expectInvalidArgument(
      run([SHORT, LONG], { ...BASE, maxLength: 6 }),
      fn,
      'examples[1].inputIds',
      ['at most 6 tokens'],
      'shape',
    );
    expectInvalidArgument(
      run([{ ...SHORT, nextSentenceLabel: 2 }]),
      fn,
      'examples[0].nextSentenceLabel',
      ['1 (B is random, NotNext)'],
    );
  });

  it('refuses a token type other than 0 and 1 (BERT has two segments), from any kind of array', () => {
    const types = Uint8Array.of(0, 0, 0, 1, 1);
    const batch = createBertBatch([{ ...SHORT, tokenTypeIds: types }], BASE, createRng(1));
    expect(Array.from(batch.fields.tokenTypeIds.data)).toEqual([0, 0, 0, 1, 1]);
    expectInvalidArgument(
      run([{ ...SHORT, tokenTypeIds: Uint8Array.of(0, 0, 0, 5, 1) }]),
      fn,
      'examples[0].tokenTypeIds[3]',
      ['received 5'],
    );
    expectInvalidArgument(
      run([{ ...SHORT, tokenTypeIds: [0, 0, 0, 5, 1] }]),
      fn,
      'examples[0].tokenTypeIds[3]',
      ['received 5'],
    );
  });

  it('refuses token ids outside the vocabulary, naming the example and the position', () => {
    expectInvalidArgument(
      run([SHORT, { ...LONG, inputIds: [CLS, 10, 100, SEP] }]),
      fn,
      'examples[1].inputIds[2]',
      ['received 100'],
    );
  });

  it('refuses token types or word ids of the wrong length, and word ids on only some examples', () => {
    expectInvalidArgument(
      run([{ ...SHORT, tokenTypeIds: Int32Array.of(0, 0) }]),
      fn,
      'examples[0].tokenTypeIds',
      ['5 values'],
      'shape',
    );
    expectInvalidArgument(
      run([{ ...SHORT, wordIds: Int32Array.of(0) }]),
      fn,
      'examples[0].wordIds',
      [],
      'shape',
    );
    expectInvalidArgument(
      run([example([CLS, SEP, SEP], 2, 0, [-1, -1, -1]), SHORT]),
      fn,
      'examples[1].wordIds',
      ['on every example'],
    );
  });

  it('refuses bad options: a missing or misspelt one, a [PAD] equal to [MASK], inconsistent padding, no masker', () => {
    expectInvalidArgument(run([SHORT], { masker: keeping }), fn, 'options.padTokenId');
    expectInvalidArgument(run([SHORT], { ...BASE, max_length: 8 }), fn, 'options.max_length', [
      "did you mean 'maxLength'",
    ]);
    expectInvalidArgument(run([SHORT], { ...BASE, padTokenId: MASK }), fn, 'options.padTokenId', [
      'options.maskTokenId',
    ]);
    expectInvalidArgument(
      run([SHORT], { ...BASE, padding: 'max-length' }),
      fn,
      'options.maxLength',
      ["padding: 'max-length'"],
    );
    expectInvalidArgument(
      run([SHORT], { ...BASE, maxLength: 10, padToMultipleOf: 8 }),
      fn,
      'options.maxLength',
      ['pass maxLength 16 or 8'],
    );
    expectInvalidArgument(run([SHORT], { ...BASE, masker: {} }), fn, 'options.masker');
    expectInvalidArgument(run([{}]), fn, 'examples[0].inputIds');
  });
});
