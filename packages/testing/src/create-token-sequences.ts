import { checkNumberInRange, createRng } from '@lm-objectives/core';

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
  const count = checkNumberInRange(
    site('count'),
    options.count,
    { min: 1, integer: true },
    'pass how many sequences to make.',
  );
  const minLength = checkNumberInRange(
    site('minLength'),
    options.minLength,
    { min: 1, integer: true },
    'pass a positive length.',
  );
  const maxLength = checkNumberInRange(
    site('maxLength'),
    options.maxLength,
    { min: minLength, integer: true },
    'pass a length ≥ minLength.',
  );
  const vocabularySize = checkNumberInRange(
    site('vocabularySize'),
    options.vocabularySize,
    { min: 1, integer: true },
    'pass the vocabulary size.',
  );
  const firstId = checkNumberInRange(
    site('firstId'),
    options.firstId ?? 0,
    { min: 0, max: vocabularySize - 1, integer: true },
    'pass an id below vocabularySize.',
  );
  const random = createRng(options.seed ?? 0);
  return Array.from({ length: count }, () =>
    Array.from({ length: random.int(minLength, maxLength) }, () =>
      random.int(firstId, vocabularySize - 1),
    ),
  );
}
