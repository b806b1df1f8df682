import type { BatchField } from '@lm-objectives/core';
import type { GlmBatch } from '../glm-batch';
import { separatorsAndLength } from './separators-and-length';

/**
 * GLM's attention mask in boolean form, one `[L, L]` matrix per sample: query $i$ may attend to
 * key $j$ iff $j < \mathrm{sep} \lor j \le i$ (1 = allowed). Part A (`j < sep`) is bidirectional
 * and never sees Part B; Part B sees all of Part A and the earlier Part B positions. Rows are
 * filled as runs (`fill` of a prefix per query), so building `[8, 1024, 1024]` takes milliseconds.
 *
 * For the additive float form as a tensor, use {@link glmAttentionBias}.
 *
 * Arguments: a {@link GlmBatch}, or `sep` per row together with the sequence length `L`.
 * @returns a `bool` field `[B, L, L]` (a `Uint8Array` of 0/1, row-major: `[b][query][key]`).
 */
export function glmAttentionMask(batch: GlmBatch): BatchField<'bool'>;
export function glmAttentionMask(separators: ArrayLike<number>, length: number): BatchField<'bool'>;
export function glmAttentionMask(
  batchOrSeparators: GlmBatch | ArrayLike<number>,
  length?: number,
): BatchField<'bool'> {
  const resolved = separatorsAndLength('glmAttentionMask', batchOrSeparators, length);
  const { separators } = resolved;
  const size = resolved.length;
  const batchSize = separators.length;
  const data = new Uint8Array(batchSize * size * size);
  for (let row = 0; row < batchSize; row++) {
    const sep = separators[row]!;
    const base = row * size * size;
    for (let query = 0; query < size; query++) {
      const start = base + query * size;
      data.fill(1, start, start + Math.max(sep, query + 1));
    }
  }
  return { dtype: 'bool', shape: [batchSize, size, size], data };
}
