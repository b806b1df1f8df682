import type { RandomSource } from '@lm-objectives/core';
import { buildPairs } from './internal/build-pairs';
import type { NextSentencePairBuilder, SentenceDocument } from './next-sentence-pair-builder';
import {
  type NextSentencePairOptions,
  resolveNextSentencePairOptions,
} from './next-sentence-pair-options';

/**
 * Creates a builder of next-sentence-prediction pairs from documents, with the rules of the
 * original BERT data generator and without its known bug:
 *
 * - each document gets a target length: `maxLength − 3`, or with probability
 *   `shortSequenceProbability` a uniform integer in $[2, \mathrm{maxLength} - 3]$;
 * - sentences accumulate into a chunk until the document ends or the chunk reaches the target;
 *   A is the chunk's first `aEnd` sentences, `aEnd` uniform in $[1, \mathrm{len} - 1]$ (1 for one sentence);
 * - with one sentence, or with probability `randomNextProbability`, B is random: from a uniformly
 *   random sentence onward of a **strictly different** document (the original retried 10 times and
 *   could fall back to the same document, labelling true continuations "random"), until it reaches
 *   the target minus A's length; the chunk's unused sentences are put back. Otherwise B is the rest
 *   of the chunk;
 * - the pair is truncated to `maxLength − 3` by dropping one token at a time from the longer
 *   side (B on a tie), at its front or back with probability 1/2; both sides keep ≥ 1 token;
 * - the layout is `[CLS] A [SEP] B [SEP]`, token types 0 then 1, and **label 1 = B is random**.
 *
 * @example
 * const builder = createNextSentencePairBuilder({ clsTokenId: 101, sepTokenId: 102, maxLength: 128 });
 * const { examples } = builder.build(documents, createRng(12345));
 * @throws {InvalidArgumentError} for invalid options (see `resolveNextSentencePairOptions`).
 */
export function createNextSentencePairBuilder(
  options: NextSentencePairOptions,
): NextSentencePairBuilder {
  const resolved = resolveNextSentencePairOptions(options);
  return Object.freeze({
    options: resolved,
    build: (documents: readonly SentenceDocument[], random: RandomSource) =>
      buildPairs(resolved, documents, random),
  });
}
