import { checkTensor, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkBatchSize } from '../internal/check-batch-size';
import {
  checkPrefixModelSizes,
  type PrefixModelSizes,
  prefixWidth,
  type ResolvedPrefixModelSizes,
} from './prefix-model-sizes';

/**
 * One layer's prefix: keys and values prepended to the layer's own. Structurally the
 * `LayerKeyValues` of `@lm-objectives/models` (what `inputs.prefixKeyValues` takes).
 */
export type PrefixKeyValues = {
  /**
   * float32 `[B, kvHeads, P, headSize]` (`B = 1` when one prefix is shared by every row), with
   * `kvHeads` = `numKeyValueHeads` (= `numHeads` without grouped-query attention).
   */
  readonly key: tf.Tensor;
  /** float32, the shape of `key`. */
  readonly value: tf.Tensor;
};

/**
 * Reorders projected prefixes `[P, L·2·H_kv]` — whose last axis is read as
 * `[L, 2 (key, value), kvHeads, d]`, the order Hugging Face PEFT uses — into the stacked layout
 * `[L, 2, kvHeads, P, d]`.
 * @internal
 */
export function stackProjectedPrefix(
  projected: tf.Tensor,
  sizes: ResolvedPrefixModelSizes,
): tf.Tensor {
  const { numLayers, numKeyValueHeads, headSize } = sizes;
  return tf.tidy(() =>
    tf.transpose(
      tf.reshape(projected, [projected.shape[0]!, numLayers, 2, numKeyValueHeads, headSize]),
      [1, 2, 3, 0, 4],
    ),
  );
}

/**
 * Splits a stacked prefix `[L, 2, kvHeads, P, d]` into the per-layer list, each part
 * `[batchSize, kvHeads, P, d]` (broadcast over the batch; its gradient sums over the rows).
 * @internal
 */
export function splitStackedPrefix(stacked: tf.Tensor, batchSize: number): PrefixKeyValues[] {
  // tf.unstack of a length-1 axis has no working gradient in tfjs 4.22 (its single upstream
  // gradient reaches Unpack's gradient as a tensor, not a list), so one layer is a reshape.
  const layers = (): tf.Tensor[] =>
    stacked.shape[0] === 1 ? [tf.reshape(stacked, stacked.shape.slice(1))] : tf.unstack(stacked, 0);
  return tf.tidy(() =>
    layers().map((layer) => {
      const [key, value] = tf.unstack(layer, 0).map((part) => {
        const single = tf.expandDims(part, 0);
        return batchSize === 1 ? single : tf.broadcastTo(single, [batchSize, ...part.shape]);
      }) as [tf.Tensor, tf.Tensor];
      return { key, value };
    }),
  );
}

/**
 * Turns projected prefixes into per-layer keys and values: row $p$ of `projected` `[P, L·2·H_kv]`
 * ($H_{kv} = n_{kv} d$, `numKeyValueHeads · headSize`) is read as $[\ell, s, h, i]$ (layer,
 * key/value, key/value head, channel), so that
 * $\mathrm{key}_\ell[b, h, p, i] = \mathrm{projected}[p, ((2\ell + 0)\,n_{kv} + h)\,d + i]$ and
 * $\mathrm{value}_\ell$ likewise with $s = 1$ — the reshape to `[L, 2, B, kvHeads, P, d]` of the
 * reference, split per layer.
 *
 * @param projected float32 `[P, L·2·H_kv]`.
 * @param batchSize rows to broadcast to. Default `1` (every row of a batch shares the prefix; the
 *   reference models broadcast it themselves).
 * @returns `L` entries of float32 `[batchSize, kvHeads, P, d]`; the caller owns them.
 */
export function prefixKeyValuesFromProjection(
  projected: tf.Tensor,
  sizes: PrefixModelSizes,
  batchSize = 1,
): PrefixKeyValues[] {
  const functionName = 'prefixKeyValuesFromProjection';
  const checkedSizes = checkPrefixModelSizes(functionName, 'sizes', sizes);
  const width = prefixWidth(checkedSizes);
  const site = { functionName, argumentName: 'projected' };
  checkTensor(site, projected, { dtypes: ['float32'], ranks: [2] });
  if (projected.shape[1] !== width) {
    throw new ShapeMismatchError({
      ...site,
      expected: `a float32 tensor of shape [P, ${width}] (numLayers · 2 · numKeyValueHeads · headSize)`,
      received: projected,
      fix: 'pass the prefix encoder output for this model, or the sizes of the model it was made for.',
    });
  }
  const rows = checkBatchSize(functionName, batchSize);
  return tf.tidy(() => splitStackedPrefix(stackProjectedPrefix(projected, checkedSizes), rows));
}
