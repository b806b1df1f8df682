import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * An array with at least one item (the examples of a batch, the batches of a window, the blanks of
 * a sample): anything else, `[]` included, is refused before any item is read. The items are
 * checked by the caller.
 *
 * @typeParam Item the item type the caller expects (checked by the caller, not here).
 * @param items what each item is, e.g. `'{ prompt, completion } examples'` (`a non-empty array
 *   of { prompt, completion } examples` in the message).
 * @example
 * const window = checkNonEmptyArray<Batch>(site, value, 'batches made by the objective',
 *   'pass [batch], or the K micro-batches of one accumulation window.');
 */
export function checkNonEmptyArray<Item = unknown>(
  site: ArgumentSite,
  value: unknown,
  items: string,
  fix: string,
): readonly Item[] {
  if (Array.isArray(value) && value.length > 0) return value as readonly Item[];
  throw new InvalidArgumentError({
    ...site,
    expected: `a non-empty array of ${items}`,
    received: value,
    fix,
  });
}
