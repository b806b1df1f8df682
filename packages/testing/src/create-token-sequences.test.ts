import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { createTokenSequences } from './create-token-sequences';

describe('createTokenSequences', () => {
  const options = {
    count: 200,
    minLength: 2,
    maxLength: 5,
    vocabularySize: 9,
    firstId: 3,
    seed: 4,
  };

  it('makes count sequences with lengths and ids in their inclusive ranges, reaching both ends', () => {
    const sequences = createTokenSequences(options);
    expect(sequences).toHaveLength(200);
    const lengths = new Set(sequences.map((sequence) => sequence.length));
    const ids = new Set(sequences.flat());
    expect([...lengths].sort()).toEqual([2, 3, 4, 5]);
    expect([...ids].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(createTokenSequences(options)).toEqual(createTokenSequences(options));
    expect(createTokenSequences({ ...options, seed: 5 })).not.toEqual(
      createTokenSequences(options),
    );
  });

  it('refuses a maximum length below the minimum', () => {
    expectInvalidArgument(
      () => createTokenSequences({ ...options, maxLength: 1 }),
      'createTokenSequences',
      'options.maxLength',
      ['received 1'],
    );
  });
});
