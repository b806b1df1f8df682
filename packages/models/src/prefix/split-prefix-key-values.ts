import { checkTensor } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerKeyValues } from '../layers/multi-head-attention';

/**
 * Splits prefix tuning's `[numLayers, 2, B, heads, P, headSize]` tensor (index 0 on the second axis =
 * keys, 1 = values) into the per-layer `{ key, value }` list that `inputs.prefixKeyValues` takes.
 *
 * @returns `numLayers` entries of float32 `[B, heads, P, headSize]`; the caller owns them (they are
 *   differentiable slices, so a prefix encoder's gradients flow through).
 */
export function splitPrefixKeyValues(prefix: tf.Tensor): LayerKeyValues[] {
  const site = { functionName: 'splitPrefixKeyValues', argumentName: 'prefix' };
  const checked = checkTensor(site, prefix, {
    dtypes: ['float32'],
    shape: ['numLayers', 2, 'batch', 'heads', 'prefix', 'headSize'],
  });
  return tf.tidy(() =>
    tf.unstack(checked, 0).map((layer) => {
      const [key, value] = tf.unstack(layer, 0) as [tf.Tensor, tf.Tensor];
      return { key, value };
    }),
  );
}
