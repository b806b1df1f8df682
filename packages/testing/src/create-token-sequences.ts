import {
  checkInteger,
  checkOptionsObject,
  checkPositiveInteger,
  checkTokenId,
  createRng,
} from '@lm-objectives/core';

/** Options of {@link createTokenSequences}. */
export interface TokenSequencesOptions {
  /** How many sequences. */
  readonly count: number;
  /** Shortest length (inclusive). */
  readonly minLength: number;
  /** Longest length (inclusive). */
  readonly maxLength: number;
  /** Ids are drawn uniformly from $[\mathrm{firstId}, \mathrm{vocabularySize})$. */
  readonly vocabularySize: number;
  /** The smallest id drawn, to keep special tokens out. Default 0. */
  readonly firstId?: number;
  /** Seed (through `createRng`). Default 0. */
  readonly seed?: number;
}

/**
 * Seeded random token sequences for fixtures: `count` arrays of ids in
 * $[\mathrm{firstId}, \mathrm{vocabularySize})$ with lengths uniform in `[minLength, maxLength]`.
 */
export function createTokenSequences(options: TokenSequencesOptions): number[][] {
  const site = (name: string) => ({
    functionName: 'createTokenSequences',
    argumentName: `options.${name}`,
  });
  checkOptionsObject({ functionName: 'createTokenSequences', argumentName: 'options' }, options, {
    required: ['count', 'minLength', 'maxLength', 'vocabularySize'],
    allowed: ['count', 'minLength', 'maxLength', 'vocabularySize', 'firstId', 'seed'],
  });
  const count = checkPositiveInteger(
    site('count'),
    options.count,
    'pass how many sequences to make.',
  );
  const minLength = checkPositiveInteger(
    site('minLength'),
    options.minLength,
    'pass a positive length.',
  );
  const maxLength = checkInteger(
    site('maxLength'),
    options.maxLength,
    { min: minLength },
    'pass a length ≥ minLength.',
  );
  const vocabularySize = checkPositiveInteger(
    site('vocabularySize'),
    options.vocabularySize,
    'pass the vocabulary size.',
  );
  const firstId = checkTokenId(site('firstId'), options.firstId, { vocabularySize }, 0);
  const random = createRng(options.seed ?? 0);
  return Array.from({ length: count }, () =>
    Array.from({ length: random.int(minLength, maxLength) }, () =>
      random.int(firstId, vocabularySize - 1),
    ),
  );
}
