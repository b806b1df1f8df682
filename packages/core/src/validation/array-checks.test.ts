import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { checkFiniteValues } from './check-finite-values';
import { checkIntegerArray } from './check-integer-array';
import { checkNotDisposed } from './check-not-disposed';

const site = (argumentName: string) => ({ functionName: 'createBertBatch', argumentName });

describe('checkIntegerArray', () => {
  it('returns a new Int32Array of the integers, from any kind of array', () => {
    const typed = Int32Array.of(-1, 0, 5);
    const copy = checkIntegerArray(site('wordIds'), typed, { length: 3 });
    expect(copy).toEqual(typed);
    expect(copy).not.toBe(typed);
    expect(checkIntegerArray(site('wordIds'), [-(2 ** 31), 2 ** 31 - 1])).toEqual(
      Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
    );
    expect(checkIntegerArray(site('types'), Uint8Array.of(0, 1), { min: 0, max: 1 })).toEqual(
      Int32Array.of(0, 1),
    );
    expect(checkIntegerArray(site('types'), { length: 1, 0: 4 })).toEqual(Int32Array.of(4));
  });

  it('names the first entry that is not an integer in range', () => {
    expectInvalidArgument(
      () => checkIntegerArray(site('wordIds'), [0, 1.5, 'x'], { itemName: 'word id' }),
      'createBertBatch',
      'wordIds[1]',
      ['Expected an integer word id;', 'received 1.5', 'pass integer word ids (within int32).'],
    );
    expectInvalidArgument(
      () => checkIntegerArray(site('wordIds'), [2 ** 31]),
      'createBertBatch',
      'wordIds[0]',
    );
    expectInvalidArgument(
      () => checkIntegerArray(site('wordIds'), [0, -2, 3], { min: -1, itemName: 'word id' }),
      'createBertBatch',
      'wordIds[1]',
      ['an integer word id in [-1, 2147483647]', 'received -2', 'from -1 to 2147483647'],
    );
    expectInvalidArgument(
      () => checkIntegerArray(site('types'), [0, 1, 2], { max: 1 }),
      'createBertBatch',
      'types[2]',
      ['in [-2147483648, 1]'],
    );
  });

  it('checks the length and refuses what is not an array', () => {
    expectInvalidArgument(
      () => checkIntegerArray(site('wordIds'), [0, 1], { length: 3, itemName: 'word id' }),
      'createBertBatch',
      'wordIds',
      ['Expected 3 values (one word id per position)', 'give exactly 3 word ids'],
      'shape',
    );
    for (const value of ['012', 3, null, new DataView(new ArrayBuffer(2))]) {
      expectInvalidArgument(
        () => checkIntegerArray(site('wordIds'), value, { itemName: 'word id' }),
        'createBertBatch',
        'wordIds',
        ['an array, a typed array or another array-like of word ids'],
      );
    }
  });
});

describe('checkFiniteValues', () => {
  it('returns finite float arrays unchanged', () => {
    const values = Float32Array.of(0, -1e30, 3.5);
    expect(checkFiniteValues(site('weights'), values, 'fix it.')).toBe(values);
    expect(checkFiniteValues(site('weights'), new Float64Array(0), 'fix it.')).toHaveLength(0);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('names the first %s by its index, with the caller fix', (bad, shown) => {
    const values = Float32Array.of(1, 2, bad, Number.NaN);
    expectInvalidArgument(
      () => checkFiniteValues(site("checkpoint.weights['q'].a"), values, 'load an earlier one.'),
      'createBertBatch',
      "checkpoint.weights['q'].a[2]",
      ['finite values (no NaN or ±Infinity)', `received ${shown}`, 'Fix: load an earlier one.'],
    );
  });
});

describe('checkNotDisposed', () => {
  it('passes a live object and refuses a disposed one, saying what it is', () => {
    const at = { functionName: 'PrefixEncoder.keyValues', argumentName: 'this' };
    expect(() => checkNotDisposed(at, false, 'prefix', 'create it again.')).not.toThrow();
    expectInvalidArgument(
      () => checkNotDisposed(at, true, 'objective', 'create a new objective.'),
      'PrefixEncoder.keyValues',
      'this',
      [
        'Expected an objective that is still alive',
        'received a disposed objective (used after dispose())',
        'Fix: create a new objective.',
      ],
    );
  });
});
