import { prefixLmAttentionBias } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { separatorsAndLength } from './data/separators-and-length';
import type { GlmBatch } from './glm-batch';

/**
 * GLM's attention mask in additive form, as a tensor to add to the attention scores: 0 where query
 * $i$ may attend to key $j$ ($j < \mathrm{sep} \lor j \le i$), `MASKED_ATTENTION_BIAS` (−1e9)
 * elsewhere. Built by core's `prefixLmAttentionBias`, the same mask every prefix-LM objective uses.
 *
 * Arguments: a {@link GlmBatch}, or `sep` per row together with the sequence length `L`.
 * @returns float32 `[B, 1, L, L]`, broadcastable against scores `[B, heads, L, L]`; the caller owns it.
 */
export function glmAttentionBias(batch: GlmBatch): tf.Tensor4D;
export function glmAttentionBias(separators: ArrayLike<number>, length: number): tf.Tensor4D;
export function glmAttentionBias(
  batchOrSeparators: GlmBatch | ArrayLike<number>,
  length?: number,
): tf.Tensor4D {
  const resolved = separatorsAndLength('glmAttentionBias', batchOrSeparators, length);
  return prefixLmAttentionBias(Int32Array.from(resolved.separators), resolved.length);
}
