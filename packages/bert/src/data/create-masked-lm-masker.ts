import type { RandomSource } from '@lm-objectives/core';
import { maskBatch } from './internal/mask-batch';
import { createMaskerTables, MaskerScratch } from './internal/masker-tables';
import type { MaskedLmInput, MaskedLmMasker } from './masked-lm-masker';
import {
  type MaskedLmMaskerOptions,
  type ResolvedMaskedLmMaskerOptions,
  resolveMaskedLmMaskerOptions,
} from './masked-lm-masker-options';

/**
 * Creates a masked-LM masker: for each sequence it selects positions to predict (by one of the
 * three policies, optionally whole words only), replaces each selected token by `[MASK]` with
 * probability `maskTokenProbability`, by a random token with probability
 * `randomTokenProbability`, and keeps it otherwise. It returns the dense labels, the gathered
 * `[B, P]` form a gather-first head needs, and the flat `scoredPositions`/`scoredLabels`.
 *
 * The selection count of a row: `'exact-round'` $\min(P, \max(1, \mathrm{round}(n \cdot r)))$ with
 * $n$ counting `[CLS]`/`[SEP]` and Python's rounding; `'exact-ceil'`
 * $\min(\lceil m \cdot r \rceil, P)$ of the $m$ selectable tokens; `'bernoulli'` each selectable
 * unit independently with probability $r$.
 *
 * Whole words: the positions are grouped into words (from `wordIds`, or `continuationTokenIds`),
 * words are visited in a random order and a word is taken only if it fits the remaining budget;
 * a word is never split.
 *
 * @example
 * const masker = createMaskedLmMasker({
 *   vocabularySize: 30522, maskTokenId: 103, padTokenId: 0, specialTokenIds: [101, 102],
 * });
 * const { inputIds, labels, scoredPositions } = masker.mask({ inputIds: ids, shape: [16, 128] }, createRng(1));
 * @throws {InvalidArgumentError} for invalid options (unknown keys, ids outside the vocabulary,
 *   `maskTokenId` = `padTokenId`, probabilities outside [0, 1] or summing above 1, unknown
 *   policies, an empty random pool).
 */
export function createMaskedLmMasker(options: MaskedLmMaskerOptions): MaskedLmMasker {
  return maskerFromResolvedOptions(resolveMaskedLmMaskerOptions(options));
}

/** The masker of options already checked by `resolveMaskedLmMaskerOptions` (for the objective). */
export function maskerFromResolvedOptions(resolved: ResolvedMaskedLmMaskerOptions): MaskedLmMasker {
  const tables = createMaskerTables(resolved);
  const scratch = new MaskerScratch();
  return Object.freeze({
    options: resolved,
    mask: (input: MaskedLmInput, random: RandomSource) =>
      maskBatch(resolved, tables, scratch, input, random),
  });
}
