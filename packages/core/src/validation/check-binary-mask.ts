import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import type { ArgumentSite } from './argument-site';
import { readArrayLike } from './read-array-like';

/**
 * A 0/1 mask (an attention mask, a "counts" flag per position): an array, typed array or
 * array-like of 0, 1, `false` or `true`, of `length` entries when given. Any other value (an
 * attention mask holding 2) names the first bad entry.
 *
 * @returns a new `Uint8Array` of 0s and 1s.
 */
export function checkBinaryMask(site: ArgumentSite, value: unknown, length?: number): Uint8Array {
  const entries = readArrayLike(
    site,
    value,
    'a mask of 0s and 1s (an array, a typed array or an array-like)',
    'pass 1 for positions that count (real tokens) and 0 for the others (padding).',
  );
  if (length !== undefined && entries.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} mask entries (one per position)`,
      received: entries,
      fix: `give exactly ${length} entries, aligned with the token ids.`,
    });
  }
  const mask = new Uint8Array(entries.length);
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry === 1 || entry === true) mask[index] = 1;
    else if (entry !== 0 && entry !== false) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}[${index}]`,
        expected: 'a 0 or a 1',
        received: entry,
        fix: 'use 1 for positions that count (real tokens) and 0 for the others (padding).',
      });
    }
  }
  return mask;
}
