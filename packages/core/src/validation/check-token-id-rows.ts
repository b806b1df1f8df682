import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { copyTokenIdList, readTokenIdList, type TokenIdRequirements } from './check-token-ids';
import { readArrayLike } from './read-array-like';

/**
 * A batch of token-id lists (one per example): an array (or array-like) of rows, each checked by
 * the rules of `checkTokenIds` with the same requirements; the error names the first bad entry as
 * `argumentName[i][j]`. With `minRows`, at least that many rows.
 *
 * Every row is copied into one buffer, by the loop `copyTokenIds` uses: one allocation for the
 * batch rather than one per row, which the garbage collector would pay for with many short rows.
 *
 * @returns one new `Int32Array` per row (views of that one buffer, never of the caller's data).
 * @example
 * const documents = checkTokenIdRows(site, sentences, { vocabularySize, minLength: 1, minRows: 1 });
 */
export function checkTokenIdRows(
  site: ArgumentSite,
  value: unknown,
  requirements: TokenIdRequirements & { minRows?: number } = {},
): Int32Array[] {
  const rows = readArrayLike(
    site,
    value,
    'an array of token-id lists (one per example)',
    'pass one array (or Int32Array) of token ids per example.',
  );
  const { minRows, ...perRow } = requirements;
  if (minRows !== undefined && rows.length < minRows) {
    throw new InvalidArgumentError({
      ...site,
      expected: `at least ${minRows} row${minRows === 1 ? '' : 's'} of token ids`,
      received: rows,
      fix: `pass at least ${minRows} example${minRows === 1 ? '' : 's'}.`,
    });
  }
  const rowSite = (row: number) => () => ({
    ...site,
    argumentName: `${site.argumentName}[${row}]`,
  });
  const lists: ArrayLike<unknown>[] = new Array(rows.length);
  let total = 0;
  for (let row = 0; row < rows.length; row++) {
    const ids = readTokenIdList(rowSite(row), rows[row], perRow);
    lists[row] = ids;
    total += ids.length;
  }
  const buffer = new Int32Array(total);
  const checked: Int32Array[] = new Array(rows.length);
  let offset = 0;
  for (let row = 0; row < lists.length; row++) {
    const count = copyTokenIdList(rowSite(row), lists[row]!, buffer, offset, perRow);
    checked[row] = buffer.subarray(offset, offset + count);
    offset += count;
  }
  return checked;
}
