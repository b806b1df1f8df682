import { MASKED_ATTENTION_BIAS } from '@lm-objectives/core';

/**
 * The attention bias of packed rows, on typed arrays: query $i$ may attend to key $j$ iff
 * $j \le i \land e_j = e_i \ne 0$ ($e$ = `exampleIds`), so an example never sees the examples
 * packed before it (a block-diagonal causal mask). Padding ($e = 0$) sees nothing and is seen by
 * nothing; its rows are uniform rather than NaN because the bias is large and finite.
 *
 * @param exampleIds int32 `[B, L]` row-major, as in a conditional batch.
 * @returns float32 `[B, 1, L, L]` row-major: 0 where allowed, `MASKED_ATTENTION_BIAS` elsewhere.
 */
export function packedCausalAttentionBiasValues(
  exampleIds: Int32Array,
  batchSize: number,
  length: number,
): Float32Array {
  const bias = new Float32Array(batchSize * length * length).fill(MASKED_ATTENTION_BIAS);
  for (let row = 0; row < batchSize; row++) {
    const ids = exampleIds.subarray(row * length, (row + 1) * length);
    for (let query = 0; query < length; query++) {
      const example = ids[query]!;
      if (example === 0) continue;
      const start = (row * length + query) * length;
      for (let key = 0; key <= query; key++) if (ids[key] === example) bias[start + key] = 0;
    }
  }
  return bias;
}
