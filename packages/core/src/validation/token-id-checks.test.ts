import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { createRng } from '../random/create-rng';
import { checkBinaryMask } from './check-binary-mask';
import { checkDistinctTokenIds } from './check-distinct-token-ids';
import { checkRandomSource } from './check-random-source';
import { checkTokenId } from './check-token-id';
import { checkTokenIdRows } from './check-token-id-rows';
import { checkTokenIds } from './check-token-ids';

const site = (argumentName: string) => ({ functionName: 'createBatch', argumentName });

describe('checkTokenId', () => {
  it('returns ids in [0, V), or in [0, 2^31) without a vocabulary size, and the fallback', () => {
    expect(checkTokenId(site('options.maskTokenId'), 103, { vocabularySize: 30522 })).toBe(103);
    expect(checkTokenId(site('options.maskTokenId'), 2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(checkTokenId(site('options.padTokenId'), undefined, {}, 0)).toBe(0);
  });

  it('names the token and the vocabulary size when the id is too large', () => {
    expectInvalidArgument(
      () =>
        checkTokenId(site('options.maskTokenId'), 30522, {
          vocabularySize: 30522,
          tokenName: '[MASK]',
        }),
      'createBatch',
      'options.maskTokenId',
      [
        'Expected the token id of [MASK], an integer in [0, 30522)',
        'received 30522',
        'below the vocabulary size 30522',
      ],
    );
  });

  it.each([[-1], [1.5], [2 ** 31], ['5'], [undefined]])('refuses %s', (value) => {
    expectInvalidArgument(
      () => checkTokenId(site('options.sepTokenId'), value),
      'createBatch',
      'options.sepTokenId',
      ['a token id, an integer in [0, 2^31)', "pass the tokenizer's id, a non-negative integer."],
    );
  });
});

describe('checkTokenIds', () => {
  it('accepts arrays, typed arrays and array-likes, returning a new Int32Array', () => {
    const typed = Int32Array.of(1, 2, 3);
    const copy = checkTokenIds(site('inputIds'), typed);
    expect(copy).toEqual(typed);
    expect(copy).not.toBe(typed);
    copy[0] = 9;
    expect(typed[0]).toBe(1);
    expect(checkTokenIds(site('inputIds'), [4, 5])).toEqual(Int32Array.of(4, 5));
    expect(checkTokenIds(site('inputIds'), Uint16Array.of(7))).toEqual(Int32Array.of(7));
    expect(checkTokenIds(site('inputIds'), { length: 2, 0: 3, 1: 0 })).toEqual(Int32Array.of(3, 0));
    expect(checkTokenIds(site('inputIds'), [])).toEqual(new Int32Array(0));
  });

  it('names the first bad entry and its range', () => {
    expectInvalidArgument(
      () => checkTokenIds(site('examples[2].inputIds'), [1, 2, 40, 50], { vocabularySize: 32 }),
      'createBatch',
      'examples[2].inputIds[2]',
      ['Expected a token id, an integer in [0, 32)', 'received 40', 'below the vocabulary size 32'],
    );
    expectInvalidArgument(
      () => checkTokenIds(site('inputIds'), Float32Array.of(1, 2.5)),
      'createBatch',
      'inputIds[1]',
      ['received 2.5', 'pass integer token ids from the tokenizer.'],
    );
  });

  it('accepts the ignore index only when allowed, and explains it when not', () => {
    expect(checkTokenIds(site('labels'), [-100, 3], { allowIgnoreIndex: true })).toEqual(
      Int32Array.of(-100, 3),
    );
    expectInvalidArgument(
      () => checkTokenIds(site('inputIds'), [3, -100]),
      'createBatch',
      'inputIds[1]',
      ['received -100', '-100 marks an ignored label'],
    );
    expectInvalidArgument(
      () => checkTokenIds(site('labels'), [-1], { allowIgnoreIndex: true }),
      'createBatch',
      'labels[0]',
      ['an integer in [0, 2^31) or the ignore index -100'],
    );
  });

  it('checks the exact and the least length', () => {
    expectInvalidArgument(
      () => checkTokenIds(site('labels'), [1, 2], { length: 3 }),
      'createBatch',
      'labels',
      ['Expected 3 token ids', 'received array of length 2', 'give exactly 3 ids'],
      'shape',
    );
    expectInvalidArgument(
      () => checkTokenIds(site('sentence'), [], { minLength: 1 }),
      'createBatch',
      'sentence',
      ['at least 1 token id;', 'received array of length 0'],
    );
  });

  it.each([
    ['a string', '1 2 3'],
    ['a number', 7],
    ['null', null],
    ['a DataView', new DataView(new ArrayBuffer(4))],
  ])('refuses %s', (_, value) => {
    expectInvalidArgument(() => checkTokenIds(site('inputIds'), value), 'createBatch', 'inputIds', [
      'token ids as an array, an Int32Array or another array-like of integers',
      'tokenizer.encode(text)',
    ]);
  });
});

describe('checkTokenIdRows', () => {
  it('returns one new Int32Array per row', () => {
    const rows = checkTokenIdRows(site('documents'), [[1, 2], Int32Array.of(3)], { minLength: 1 });
    expect(rows).toEqual([Int32Array.of(1, 2), Int32Array.of(3)]);
  });

  it('names the first bad entry as argument[i][j]', () => {
    expectInvalidArgument(
      () =>
        checkTokenIdRows(
          site('documents'),
          [
            [1, 2],
            [3, 99],
          ],
          { vocabularySize: 50 },
        ),
      'createBatch',
      'documents[1][1]',
      ['an integer in [0, 50)', 'received 99'],
    );
    expectInvalidArgument(
      () => checkTokenIdRows(site('documents'), [[1], 'x']),
      'createBatch',
      'documents[1]',
      ['token ids as an array'],
    );
  });

  it('checks the number of rows and refuses a non-array', () => {
    expectInvalidArgument(
      () => checkTokenIdRows(site('examples'), [], { minRows: 1 }),
      'createBatch',
      'examples',
      ['at least 1 row of token ids', 'pass at least 1 example.'],
    );
    expectInvalidArgument(() => checkTokenIdRows(site('examples'), 3), 'createBatch', 'examples', [
      'an array of token-id lists (one per example)',
    ]);
  });
});

describe('checkDistinctTokenIds', () => {
  it('accepts distinct ids and skips undefined ones', () => {
    expect(() =>
      checkDistinctTokenIds('createGlmBatch', {
        maskTokenId: 3,
        sopTokenId: 4,
        padTokenId: undefined,
        gMaskTokenId: undefined,
      }),
    ).not.toThrow();
  });

  it('names both options that share an id', () => {
    expectInvalidArgument(
      () =>
        checkDistinctTokenIds('createGlmBatch', { clsTokenId: 1, maskTokenId: 5, sopTokenId: 5 }),
      'createGlmBatch',
      'options.sopTokenId',
      [
        'a token id different from options.maskTokenId',
        'received 5 (options.maskTokenId and options.sopTokenId are both 5)',
      ],
    );
  });

  it('keeps names that already carry a path', () => {
    expectInvalidArgument(
      () => checkDistinctTokenIds('createPairBuilder', { 'tokens.cls': 2, 'tokens.sep': 2 }),
      'createPairBuilder',
      'tokens.sep',
      ['tokens.cls and tokens.sep are both 2'],
    );
  });
});

describe('checkBinaryMask', () => {
  it('returns a new Uint8Array of the 0/1 (or boolean) entries', () => {
    expect(checkBinaryMask(site('attentionMask'), [1, 0, true, false])).toEqual(
      Uint8Array.of(1, 0, 1, 0),
    );
    expect(checkBinaryMask(site('attentionMask'), Int32Array.of(1, 1), 2)).toEqual(
      Uint8Array.of(1, 1),
    );
  });

  it('refuses a 2 in an attention mask, naming the entry', () => {
    expectInvalidArgument(
      () => checkBinaryMask(site('attentionMask'), [1, 1, 2]),
      'createBatch',
      'attentionMask[2]',
      ['Expected a 0 or a 1', 'received 2', 'use 1 for positions that count'],
    );
  });

  it('refuses a mask of the wrong length and a non-array', () => {
    expectInvalidArgument(
      () => checkBinaryMask(site('attentionMask'), [1, 1], 3),
      'createBatch',
      'attentionMask',
      ['3 mask entries', 'received array of length 2'],
      'shape',
    );
    expectInvalidArgument(
      () => checkBinaryMask(site('attentionMask'), ' 11'),
      'createBatch',
      'attentionMask',
      ['a mask of 0s and 1s'],
    );
  });
});

describe('checkRandomSource', () => {
  it('returns a seeded random source', () => {
    const random = createRng(1);
    expect(checkRandomSource(site('random'), random)).toBe(random);
  });

  it('names the missing methods of a look-alike, and refuses non-objects', () => {
    expectInvalidArgument(
      () => checkRandomSource(site('random'), { nextUint32: () => 1, uniform: Math.random }),
      'createBatch',
      'random',
      [
        'Expected a RandomSource (from createRng)',
        'received an object without int, bernoulli',
        'createRng(seed)',
      ],
    );
    expectInvalidArgument(() => checkRandomSource(site('random'), 42), 'createBatch', 'random', [
      'received 42',
    ]);
    expectInvalidArgument(
      () => checkRandomSource(site('random'), Math.random),
      'createBatch',
      'random',
      ['received a function'],
    );
  });
});
