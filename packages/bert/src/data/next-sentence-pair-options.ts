import {
  checkBoolean,
  checkDistinctTokenIds,
  checkInteger,
  checkOptionsObject,
  checkProbability,
  checkTokenId,
  InvalidArgumentError,
} from '@lm-objectives/core';
import { checkRenamedOptions } from '../internal/check-renamed-options';

/** Options of `createNextSentencePairBuilder`. */
export interface NextSentencePairOptions {
  /** The id of `[CLS]`. */
  clsTokenId: number;
  /** The id of `[SEP]` (different from `clsTokenId`). */
  sepTokenId: number;
  /** The most tokens of a pair, specials included; A and B share `maxLength − 3`. Default 128; at least 5. */
  maxLength?: number;
  /** Probability that a document's target length is a uniform integer in $[2, \mathrm{maxLength} - 3]$ instead of the maximum. Default 0.1. */
  shortSequenceProbability?: number;
  /** Probability that a chunk of two or more sentences gets a random B. Default 0.5. */
  randomNextProbability?: number;
  /** Shuffle the pairs of all documents together, as the original does. Default `true`. */
  shuffle?: boolean;
  /** Receives warnings (a corpus of one-sentence documents). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** {@link NextSentencePairOptions} with every default filled in. */
export interface ResolvedNextSentencePairOptions {
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly maxLength: number;
  readonly shortSequenceProbability: number;
  readonly randomNextProbability: number;
  readonly shuffle: boolean;
  /** Where warnings go (the given callback, or `console.warn`). */
  readonly onWarning: (message: string) => void;
}

const FUNCTION_NAME = 'createNextSentencePairBuilder';
const OPTIONS_SITE = { functionName: FUNCTION_NAME, argumentName: 'options' };

/**
 * Validates the pair builder's options and fills in the defaults.
 *
 * @throws {InvalidArgumentError} for unknown keys (suggesting the closest name), a missing or
 *   negative token id, `clsTokenId` = `sepTokenId`, `maxLength` below 5, probabilities outside
 *   [0, 1] or a non-function `onWarning`.
 */
export function resolveNextSentencePairOptions(
  options: NextSentencePairOptions,
): ResolvedNextSentencePairOptions {
  checkRenamedOptions(OPTIONS_SITE, options, { maxSequenceLength: 'maxLength' });
  const given = checkOptionsObject(OPTIONS_SITE, options, {
    required: ['clsTokenId', 'sepTokenId'],
    allowed: [
      'clsTokenId',
      'sepTokenId',
      'maxLength',
      'shortSequenceProbability',
      'randomNextProbability',
      'shuffle',
      'onWarning',
    ],
  });
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const onWarning = given['onWarning'] ?? ((message: string) => console.warn(message));
  if (typeof onWarning !== 'function') {
    throw new InvalidArgumentError({
      ...site('onWarning'),
      expected: 'a function receiving a message',
      received: onWarning,
      fix: 'pass (message) => …, or leave it out to use console.warn.',
    });
  }
  const clsTokenId = checkTokenId(site('clsTokenId'), given['clsTokenId'], { tokenName: '[CLS]' });
  const sepTokenId = checkTokenId(site('sepTokenId'), given['sepTokenId'], { tokenName: '[SEP]' });
  checkDistinctTokenIds(FUNCTION_NAME, { clsTokenId, sepTokenId });
  return Object.freeze({
    clsTokenId,
    sepTokenId,
    maxLength: checkInteger(
      site('maxLength'),
      given['maxLength'],
      { min: 5, max: 2 ** 31 - 1 },
      'pass at least 5: [CLS] A [SEP] B [SEP] needs 3 special tokens and one token per side, and truncation needs room for 2.',
      128,
    ),
    shortSequenceProbability: checkProbability(
      site('shortSequenceProbability'),
      given['shortSequenceProbability'],
      0.1,
    ),
    randomNextProbability: checkProbability(
      site('randomNextProbability'),
      given['randomNextProbability'],
      0.5,
    ),
    shuffle: checkBoolean(site('shuffle'), given['shuffle'], true),
    onWarning: onWarning as (message: string) => void,
  });
}
