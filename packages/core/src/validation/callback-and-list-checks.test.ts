import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/backends';
import { checkFunction } from './check-function';
import { checkNonEmptyArray } from './check-non-empty-array';

const site = { functionName: 'createThing', argumentName: 'options.onWarning' };

describe('checkFunction', () => {
  it('returns the function, or the fallback for undefined', () => {
    const given = (message: string) => message.length;
    const fallback = (message: string) => -message.length;
    expect(checkFunction(site, given, '(message) => number', 'fix', fallback)).toBe(given);
    expect(checkFunction(site, undefined, '(message) => number', 'fix', fallback)).toBe(fallback);
  });

  it.each([[undefined], [null], ['console.warn'], [{ call: () => 0 }]])(
    'refuses %o, naming the expected signature and the fix',
    (value) => {
      expectInvalidArgument(
        () =>
          checkFunction(site, value, '(message) => void', 'pass (message) => …, or leave it out.'),
        'createThing',
        'options.onWarning',
        ['a function (message) => void', 'pass (message) => …'],
      );
    },
  );
});

describe('checkNonEmptyArray', () => {
  const listSite = { functionName: 'createThingBatch', argumentName: 'examples' };

  it('returns the array itself (the items are the caller’s to check)', () => {
    const examples = [{ inputIds: [1] }, 'anything'];
    expect(checkNonEmptyArray(listSite, examples, 'examples', 'fix')).toBe(examples);
  });

  it.each([[[]], [undefined], ['abc'], [{ length: 1, 0: 'a' }], [new Int32Array(2)]])(
    'refuses %o: an array with at least one item is expected',
    (value) => {
      expectInvalidArgument(
        () => checkNonEmptyArray(listSite, value, '{ inputIds } examples', 'pass one example.'),
        'createThingBatch',
        'examples',
        ['a non-empty array of { inputIds } examples', 'pass one example.'],
      );
    },
  );
});
