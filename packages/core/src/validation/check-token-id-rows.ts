import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { checkTokenIds, type TokenIdRequirements } from './check-token-ids';
import { readArrayLike } from './read-array-like';

/**
 * A batch of token-id lists (one per example): an array (or array-like) of rows, each checked by
 * {@link checkTokenIds} with the same requirements; the error names the first bad entry as
 * `argumentName[i][j]`. With `minRows`, at least that many rows.
 *
 * @returns one new `Int32Array` per row.
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
  const checked: Int32Array[] = [];
  for (let row = 0; row < rows.length; row++) {
    checked.push(
      checkTokenIds({ ...site, argumentName: `${site.argumentName}[${row}]` }, rows[row], perRow),
    );
  }
  return checked;
}
