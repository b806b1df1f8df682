import type { RowExample } from '../conditional-lm-batch';

/**
 * First-fit packing in example order: each sequence goes into the first row that still has room
 * for it (rows hold at most `rowLength` tokens), or opens a new row.
 *
 * @param lengths the sequences' lengths, by example index.
 * @returns per row, the examples it holds and where.
 * @example
 * packRows([{ example: 0, length: 4 }, { example: 1, length: 6 }, { example: 2, length: 4 }], 8);
 * // [[{ example: 0, start: 0, length: 4 }, { example: 2, start: 4, length: 4 }], [{ example: 1, start: 0, length: 6 }]]
 */
export function packRows(
  lengths: readonly { readonly example: number; readonly length: number }[],
  rowLength: number,
): RowExample[][] {
  const rows: RowExample[][] = [];
  const used: number[] = [];
  for (const { example, length } of lengths) {
    let row = used.findIndex((filled) => filled + length <= rowLength);
    if (row === -1) {
      row = rows.length;
      rows.push([]);
      used.push(0);
    }
    rows[row]!.push({ example, start: used[row]!, length });
    used[row]! += length;
  }
  return rows;
}
