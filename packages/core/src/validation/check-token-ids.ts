import { IGNORE_INDEX } from '../contract/v1/ignore-index';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import type { ArgumentSite } from './argument-site';
import { formatTokenIdRange, TOKEN_ID_LIMIT } from './check-token-id';
import { readArrayLike } from './read-array-like';

/** What {@link checkTokenIds} (and, per row, {@link checkTokenIdRows}) requires. */
export interface TokenIdRequirements {
  /** Ids must lie in $[0, V)$; without it, in $[0, 2^{31})$. */
  vocabularySize?: number;
  /** Accept the ignore index −100 (labels, not inputs). Default `false`. */
  allowIgnoreIndex?: boolean;
  /** The exact number of ids. */
  length?: number;
  /** The least number of ids. */
  minLength?: number;
}

function badIdFix(value: unknown, requirements: TokenIdRequirements): string {
  const { vocabularySize, allowIgnoreIndex = false } = requirements;
  if (value === IGNORE_INDEX && !allowIgnoreIndex) {
    return `-100 marks an ignored label; pass real token ids from the tokenizer here.`;
  }
  if (vocabularySize !== undefined && typeof value === 'number' && value >= vocabularySize) {
    return `pass ids below the vocabulary size ${vocabularySize} (do the tokenizer and the model agree on it?).`;
  }
  return 'pass integer token ids from the tokenizer.';
}

/** Throws for the entry at `index`, naming it as `argumentName[index]`. */
function badId(
  site: ArgumentSite,
  index: number,
  value: unknown,
  requirements: TokenIdRequirements,
): InvalidArgumentError {
  const range = formatTokenIdRange(requirements.vocabularySize);
  return new InvalidArgumentError({
    ...site,
    argumentName: `${site.argumentName}[${index}]`,
    expected: `a token id, an integer in ${range}${requirements.allowIgnoreIndex ? ` or the ignore index ${IGNORE_INDEX}` : ''}`,
    received: value,
    fix: badIdFix(value, requirements),
  });
}

function checkCount(
  site: ArgumentSite,
  ids: ArrayLike<unknown>,
  requirements: TokenIdRequirements,
) {
  const { length, minLength } = requirements;
  if (length !== undefined && ids.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} token ids`,
      received: ids,
      fix: `give exactly ${length} ids, one per position.`,
    });
  }
  if (minLength !== undefined && ids.length < minLength) {
    throw new InvalidArgumentError({
      ...site,
      expected: `at least ${minLength} token id${minLength === 1 ? '' : 's'}`,
      received: ids,
      fix: `pass a longer sequence (at least ${minLength}), or leave this one out.`,
    });
  }
}

/**
 * A list of token ids: a `number[]`, any integer typed array or another `ArrayLike<number>`, every
 * entry an integer in $[0, V)$ (or $[0, 2^{31})$ without `vocabularySize`), −100 accepted only with
 * `allowIgnoreIndex`; with `length`/`minLength`, of that many ids. The error names the first bad
 * entry (`examples[3].inputIds[7]`).
 *
 * @returns a **new** `Int32Array` (never a view of the caller's data, which may change later).
 * @example
 * const inputIds = checkTokenIds(site, example.inputIds, { vocabularySize, minLength: 1 });
 */
export function checkTokenIds(
  site: ArgumentSite,
  value: unknown,
  requirements: TokenIdRequirements = {},
): Int32Array {
  const ids = readArrayLike(
    site,
    value,
    'token ids as an array, an Int32Array or another array-like of integers',
    'pass the tokenized text, e.g. tokenizer.encode(text).',
  );
  checkCount(site, ids, requirements);
  const limit = requirements.vocabularySize ?? TOKEN_ID_LIMIT;
  const allowIgnore = requirements.allowIgnoreIndex === true;
  const copy = new Int32Array(ids.length);
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index];
    const valid =
      typeof id === 'number' &&
      Number.isInteger(id) &&
      ((id >= 0 && id < limit) || (allowIgnore && id === IGNORE_INDEX));
    if (!valid) throw badId(site, index, id, requirements);
    copy[index] = id;
  }
  return copy;
}
