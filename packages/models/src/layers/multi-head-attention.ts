import type { RandomSource } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { batchedProduct } from './batched-product';
import { dropout } from './dropout';

/**
 * Extra keys and values for one layer's attention, prepended to the keys and values of the real
 * tokens (prefix tuning's virtual tokens, or the cached keys and values of earlier tokens when
 * generating). Every query sees them.
 */
export type LayerKeyValues = {
  /** float32 `[B, heads, P, headSize]` (or `[1, heads, P, headSize]`, shared by every row). */
  readonly key: tf.Tensor;
  /** float32, the shape of `key`. */
  readonly value: tf.Tensor;
};

/** What one attention call needs besides its input. @internal */
export interface AttentionContext {
  /** Runs a named linear (through any wrappers). */
  readonly linear: (name: string, x: tf.Tensor) => tf.Tensor;
  readonly numHeads: number;
  readonly headSize: number;
  /** Additive bias broadcastable to `[B, heads, Lq, P + Lq]`, or `null` for none. */
  readonly bias: tf.Tensor | null;
  readonly dropoutRate: number;
  readonly random: RandomSource | null;
}

/**
 * Multi-head scaled dot-product attention of the block `prefix` (e.g. `'layers.0.attention'`),
 * written with explicit reshapes and transposes:
 * $\mathrm{softmax}\!\big(Q K^\top / \sqrt{d} + \mathrm{bias}\big) V$ per head, then the output
 * projection. `Q`, `K`, `V` come from the linears `<prefix>.query`, `.key`, `.value`; the keys and
 * values of `extra` (length $P$) are prepended to the sequence's own, so the key length is $P + L$
 * while the query length stays $L$.
 *
 * @param hidden float32 `[B, L, H]`.
 * @returns the output `[B, L, H]` and the keys and values attended over (`[B, heads, P + L, d]`).
 * @internal
 */
export function multiHeadAttention(
  prefix: string,
  hidden: tf.Tensor3D,
  extra: LayerKeyValues | undefined,
  context: AttentionContext,
): { output: tf.Tensor3D; keyValues: LayerKeyValues } {
  const [batchSize, length, hiddenSize] = hidden.shape;
  const { numHeads, headSize } = context;
  // [B, L, H] → [B, heads, L, d]
  const splitHeads = (x: tf.Tensor) =>
    tf.transpose(tf.reshape(x, [batchSize, length, numHeads, headSize]), [0, 2, 1, 3]);
  const withExtra = (own: tf.Tensor, extraPart: tf.Tensor | undefined): tf.Tensor4D => {
    if (!extraPart) return own as tf.Tensor4D;
    const rows =
      extraPart.shape[0] === batchSize
        ? extraPart
        : tf.broadcastTo(extraPart, [batchSize, ...extraPart.shape.slice(1)]);
    return tf.concat([rows, own], 2) as tf.Tensor4D;
  };
  // Scaling the queries rather than the scores touches L·H values instead of L·L·heads.
  const queries = splitHeads(
    tf.mul(context.linear(`${prefix}.query`, hidden), 1 / Math.sqrt(headSize)),
  ) as tf.Tensor4D;
  const keys = withExtra(splitHeads(context.linear(`${prefix}.key`, hidden)), extra?.key);
  const values = withExtra(splitHeads(context.linear(`${prefix}.value`, hidden)), extra?.value);
  let scores: tf.Tensor = batchedProduct(queries, tf.transpose(keys, [0, 1, 3, 2]) as tf.Tensor4D);
  if (context.bias) scores = tf.add(scores, context.bias);
  let probabilities = tf.softmax(scores) as tf.Tensor4D;
  if (context.random && context.dropoutRate > 0) {
    probabilities = dropout(probabilities, context.dropoutRate, context.random) as tf.Tensor4D;
  }
  const perHead = batchedProduct(probabilities, values); // [B, heads, L, d]
  const merged = tf.reshape(tf.transpose(perHead, [0, 2, 1, 3]), [batchSize, length, hiddenSize]);
  return {
    output: context.linear(`${prefix}.output`, merged) as tf.Tensor3D,
    keyValues: { key: keys, value: values },
  };
}
