import type { RandomSource } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { batchedProduct } from './batched-product';
import { dropout } from './dropout';
import { applyRotary, type RotaryTables } from './rotary-positions';

/**
 * Extra keys and values for one layer's attention, prepended to the keys and values of the real
 * tokens (prefix tuning's virtual tokens, or the cached keys and values of earlier tokens when
 * generating). Every query sees them.
 */
export type LayerKeyValues = {
  /** float32 `[B, kvHeads, P, headSize]` (or `[1, kvHeads, P, headSize]`, shared by every row). */
  readonly key: tf.Tensor;
  /** float32, the shape of `key`. */
  readonly value: tf.Tensor;
};

/** What one attention call needs besides its input. @internal */
export interface AttentionContext {
  /** Runs a named linear (through any wrappers). */
  readonly linear: (name: string, x: tf.Tensor) => tf.Tensor;
  readonly numHeads: number;
  /** Heads of the keys and values; each serves `numHeads / numKeyValueHeads` query heads. */
  readonly numKeyValueHeads: number;
  readonly headSize: number;
  /** Rotary tables when positions rotate queries and keys (Llama), else `null`. */
  readonly rotary: RotaryTables | null;
  /** Additive bias broadcastable to `[B, heads, Lq, P + Lq]`, or `null` for none. */
  readonly bias: tf.Tensor | null;
  readonly dropoutRate: number;
  readonly random: RandomSource | null;
}

/**
 * Repeats each key/value head for the query heads it serves (grouped-query attention, Hugging
 * Face's `repeat_kv`): head $h$ reads key/value head $\lfloor h / r \rfloor$, $r = n_h / n_{kv}$.
 *
 * @param x float32 `[B, kvHeads, T, d]`.
 * @returns float32 `[B, kvHeads · r, T, d]`.
 */
function repeatKeyValueHeads(x: tf.Tensor4D, repeats: number): tf.Tensor4D {
  if (repeats === 1) return x;
  const [batchSize, heads, length, size] = x.shape;
  // Rank 4 throughout: tfjs has no gradient for rank-5 tiles or broadcasts.
  const expanded = tf.tile(tf.reshape(x, [batchSize, heads, 1, length * size]), [1, 1, repeats, 1]);
  return tf.reshape(expanded, [batchSize, heads * repeats, length, size]);
}

/**
 * Multi-head scaled dot-product attention of the block `prefix` (e.g. `'layers.0.attention'`),
 * written with explicit reshapes and transposes:
 * $\mathrm{softmax}\!\big(Q K^\top / \sqrt{d} + \mathrm{bias}\big) V$ per head, then the output
 * projection. `Q`, `K`, `V` come from the linears `<prefix>.query`, `.key`, `.value` (queries and
 * keys rotated by position when the context has rotary tables); the keys and values of `extra`
 * (length $P$) are prepended to the sequence's own, so the key length is $P + L$ while the query
 * length stays $L$. With fewer key/value heads than query heads, each key/value head serves a
 * group of query heads.
 *
 * @param hidden float32 `[B, L, H]`.
 * @returns the output `[B, L, H]` and the keys and values attended over (`[B, kvHeads, P + L, d]`).
 * @internal
 */
export function multiHeadAttention(
  prefix: string,
  hidden: tf.Tensor3D,
  extra: LayerKeyValues | undefined,
  context: AttentionContext,
): { output: tf.Tensor3D; keyValues: LayerKeyValues } {
  const [batchSize, length] = hidden.shape;
  const { numHeads, numKeyValueHeads, headSize } = context;
  // [B, L, heads · d] → [B, heads, L, d]
  const splitHeads = (x: tf.Tensor, heads: number) =>
    tf.transpose(tf.reshape(x, [batchSize, length, heads, headSize]), [0, 2, 1, 3]) as tf.Tensor4D;
  const rotate = (x: tf.Tensor4D) => (context.rotary ? applyRotary(x, context.rotary) : x);
  const withExtra = (own: tf.Tensor, extraPart: tf.Tensor | undefined): tf.Tensor4D => {
    if (!extraPart) return own as tf.Tensor4D;
    const rows =
      extraPart.shape[0] === batchSize
        ? extraPart
        : tf.broadcastTo(extraPart, [batchSize, ...extraPart.shape.slice(1)]);
    return tf.concat([rows, own], 2) as tf.Tensor4D;
  };
  // Scaling the queries rather than the scores touches L·H values instead of L·L·heads.
  const queries = tf.mul(
    rotate(splitHeads(context.linear(`${prefix}.query`, hidden), numHeads)),
    1 / Math.sqrt(headSize),
  ) as tf.Tensor4D;
  const ownKeys = rotate(splitHeads(context.linear(`${prefix}.key`, hidden), numKeyValueHeads));
  const keys = withExtra(ownKeys, extra?.key);
  const values = withExtra(
    splitHeads(context.linear(`${prefix}.value`, hidden), numKeyValueHeads),
    extra?.value,
  );
  const repeats = numHeads / numKeyValueHeads;
  const groupedKeys = repeatKeyValueHeads(keys, repeats);
  let scores: tf.Tensor = batchedProduct(
    queries,
    tf.transpose(groupedKeys, [0, 1, 3, 2]) as tf.Tensor4D,
  );
  if (context.bias) scores = tf.add(scores, context.bias);
  let probabilities = tf.softmax(scores) as tf.Tensor4D;
  if (context.random && context.dropoutRate > 0) {
    probabilities = dropout(probabilities, context.dropoutRate, context.random) as tf.Tensor4D;
  }
  const perHead = batchedProduct(probabilities, repeatKeyValueHeads(values, repeats)); // [B, heads, L, d]
  const merged = tf.reshape(tf.transpose(perHead, [0, 2, 1, 3]), [
    batchSize,
    length,
    numHeads * headSize,
  ]);
  return {
    output: context.linear(`${prefix}.output`, merged) as tf.Tensor3D,
    keyValues: { key: keys, value: values },
  };
}
