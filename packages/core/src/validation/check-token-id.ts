import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/** The largest int32 plus one: without a vocabulary size, a token id must fit an int32. */
export const TOKEN_ID_LIMIT = 2 ** 31;

/** Whether `value` is an integer in $[0, \mathrm{limit})$. */
export function isTokenIdBelow(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < limit;
}

/** `[0, 30522)`, or `[0, 2^31)` when no vocabulary size is known. */
export function formatTokenIdRange(vocabularySize: number | undefined): string {
  return `[0, ${vocabularySize ?? '2^31'})`;
}

/**
 * One token id: an integer in $[0, V)$ for `vocabularySize` $V$, or in $[0, 2^{31})$ without it;
 * or `fallback` when `value` is `undefined` and a fallback is given. `tokenName` (e.g. `'[MASK]'`)
 * goes into the message: `expected the id of [MASK], an integer in [0, 30522)`.
 *
 * @example
 * const maskTokenId = checkTokenId(site, options.maskTokenId, { vocabularySize, tokenName: '[MASK]' });
 */
export function checkTokenId(
  site: ArgumentSite,
  value: unknown,
  requirements: { vocabularySize?: number; tokenName?: string } = {},
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const { vocabularySize, tokenName } = requirements;
  if (isTokenIdBelow(value, vocabularySize ?? TOKEN_ID_LIMIT)) return value;
  const what = tokenName === undefined ? 'a token id' : `the token id of ${tokenName}`;
  const tooLarge =
    vocabularySize !== undefined && typeof value === 'number' && value >= vocabularySize;
  throw new InvalidArgumentError({
    ...site,
    expected: `${what}, an integer in ${formatTokenIdRange(vocabularySize)}`,
    received: value,
    fix: tooLarge
      ? `pass an id below the vocabulary size ${vocabularySize} (do the tokenizer and the model agree on it?).`
      : `pass the tokenizer's id${tokenName === undefined ? '' : ` of ${tokenName}`}, a non-negative integer.`,
  });
}
