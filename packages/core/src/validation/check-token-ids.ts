import { IGNORE_INDEX } from '../contract/v1/ignore-index';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { type ArgumentSite, type LazyArgumentSite, resolveSite } from './argument-site';
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
 * Copies `ids` into `target` from `offset`, checking each entry on the way: an integer in
 * $[0, \mathrm{limit})$, or the ignore index when `allowIgnore`. The one loop behind
 * {@link checkTokenIds}, {@link copyTokenIds} and `checkTokenIdRows`.
 *
 * @returns the index of the first bad entry, or −1 when every entry was copied.
 */
function copyCheckedIds(
  ids: ArrayLike<unknown>,
  target: Int32Array,
  offset: number,
  limit: number,
  allowIgnore: boolean,
): number {
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index];
    const valid =
      typeof id === 'number' &&
      Number.isInteger(id) &&
      ((id >= 0 && id < limit) || (allowIgnore && id === IGNORE_INDEX));
    if (!valid) return index;
    target[offset + index] = id;
  }
  return -1;
}

/** Whether `value` is an array or a typed array of an accepted count (no site needed to say so). */
function isListOfCount(value: unknown, requirements: TokenIdRequirements): boolean {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) {
    return false;
  }
  const count = (value as ArrayLike<unknown>).length;
  const { length, minLength } = requirements;
  return (
    (length === undefined || count === length) && (minLength === undefined || count >= minLength)
  );
}

/** Reads `value` as a list of ids and checks its count (the checks before any id is read). */
export function readTokenIdList(
  site: LazyArgumentSite,
  value: unknown,
  requirements: TokenIdRequirements,
): ArrayLike<unknown> {
  if (isListOfCount(value, requirements)) return value as ArrayLike<unknown>;
  const named = resolveSite(site);
  const ids = readArrayLike(
    named,
    value,
    'token ids as an array, an Int32Array or another array-like of integers',
    'pass the tokenized text, e.g. tokenizer.encode(text).',
  );
  checkCount(named, ids, requirements);
  return ids;
}

/**
 * Copies the (already read) `ids` into `target` at `offset`, throwing for the first bad entry.
 *
 * @returns the number of ids copied.
 */
export function copyTokenIdList(
  site: LazyArgumentSite,
  ids: ArrayLike<unknown>,
  target: Int32Array,
  offset: number,
  requirements: TokenIdRequirements,
): number {
  const limit = requirements.vocabularySize ?? TOKEN_ID_LIMIT;
  const bad = copyCheckedIds(ids, target, offset, limit, requirements.allowIgnoreIndex === true);
  if (bad >= 0) throw badId(resolveSite(site), bad, ids[bad], requirements);
  return ids.length;
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
  const ids = readTokenIdList(site, value, requirements);
  const copy = new Int32Array(ids.length);
  copyTokenIdList(site, ids, copy, 0, requirements);
  return copy;
}

/** Throws unless `target` is an `Int32Array` with room for `count` ids from `offset`. */
function checkRoom(site: ArgumentSite, target: unknown, offset: number, count: number): void {
  if (!(target instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName: site.functionName,
      argumentName: 'target',
      expected: 'an Int32Array to copy the token ids into',
      received: target,
      fix: 'allocate the buffer as new Int32Array(totalLength).',
    });
  }
  if (Number.isInteger(offset) && offset >= 0 && offset + count <= target.length) return;
  throw new InvalidArgumentError({
    functionName: site.functionName,
    argumentName: 'offset',
    expected: `an integer in [0, ${Math.max(target.length - count, 0)}] (the target holds ${target.length} ids; ${site.argumentName} has ${count})`,
    received: offset,
    fix: 'allocate a target large enough for every list, and pass the running end as the offset.',
  });
}

/**
 * {@link checkTokenIds} without the allocation: checks the token ids in `value` (same rules and
 * messages) while copying them into the caller's `target` from `offset`, so that many lists
 * (the sentences of a corpus) can be laid end to end in one buffer. `site` may be a function
 * that makes the site, called only when an error is thrown: naming a sentence
 * (`documents[3][7]`) then costs nothing while every id is valid.
 *
 * When an entry is bad, the ids before it have already been written to `target`.
 *
 * @returns the number of ids copied (`value`'s length).
 * @throws {InvalidArgumentError} as {@link checkTokenIds} does, and when `target` is not an
 *   `Int32Array` with room for the ids from `offset`.
 * @example
 * let end = 0;
 * sentences.forEach((sentence, index) => {
 *   end += copyTokenIds(() => ({ functionName, argumentName: `sentences[${index}]` }), sentence, buffer, end);
 * });
 */
export function copyTokenIds(
  site: LazyArgumentSite,
  value: unknown,
  target: Int32Array,
  offset: number,
  requirements: TokenIdRequirements = {},
): number {
  const ids = readTokenIdList(site, value, requirements);
  if (
    !(target instanceof Int32Array) ||
    !(Number.isInteger(offset) && offset >= 0 && offset + ids.length <= target.length)
  ) {
    checkRoom(resolveSite(site), target, offset, ids.length);
  }
  return copyTokenIdList(site, ids, target, offset, requirements);
}
