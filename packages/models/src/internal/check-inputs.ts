import {
  type ArgumentSite,
  checkTensor,
  type DimensionSizes,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerKeyValues } from '../layers/multi-head-attention';

/**
 * Checks an int32 `[batch, sequence]` id tensor and that every id lies in `[0, limit)`: reading the
 * ids back costs little on cpu and wasm, and an out-of-range id would otherwise read arbitrary
 * memory on wasm.
 */
export function checkIds(
  site: ArgumentSite,
  value: unknown,
  dimensions: DimensionSizes,
  limit: number,
  what: string,
): tf.Tensor {
  const ids = checkTensor(site, value, {
    dtypes: ['int32'],
    shape: ['batch', 'sequence'],
    dimensions,
  });
  const data = ids.dataSync();
  for (let index = 0; index < data.length; index++) {
    const id = data[index]!;
    if (id < 0 || id >= limit) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName} (flat index ${index})`,
        expected: `${what} in [0, ${limit})`,
        received: id,
        fix: `check that the data and the model agree (${what} must stay below ${limit}).`,
      });
    }
  }
  return ids;
}

/** Checks an attention bias broadcastable to `[B, 1, L, L]`: shape `[B|1, 1, L|1, L]`, float32. */
export function checkAttentionBias(
  site: ArgumentSite,
  value: unknown,
  batchSize: number,
  length: number,
): tf.Tensor {
  const bias = checkTensor(site, value, {
    dtypes: ['float32'],
    shape: ['rows', 1, 'queries', length],
  });
  const [rows, , queries] = bias.shape as [number, number, number, number];
  if ((rows !== 1 && rows !== batchSize) || (queries !== 1 && queries !== length)) {
    throw new ShapeMismatchError({
      ...site,
      expected: `a float32 tensor of shape [${batchSize} or 1, 1, ${length} or 1, ${length}]`,
      received: bias,
      fix: 'pass an additive float32 bias [B, 1, L, L] (0 = may attend, -1e9 = may not), e.g. prefixLmAttentionBias(separators, L) from @lm-objectives/core.',
    });
  }
  return bias;
}

/**
 * Checks per-layer prefix keys and values: one entry per layer, each `key` and `value` float32
 * `[B|1, heads, P, headSize]` with one `P` for every layer. Returns `P`.
 */
export function checkPrefixKeyValues(
  site: ArgumentSite,
  value: unknown,
  sizes: { numLayers: number; numHeads: number; headSize: number; batchSize: number },
): number {
  const { numLayers, numHeads, headSize, batchSize } = sizes;
  if (!Array.isArray(value) || value.length !== numLayers) {
    throw new InvalidArgumentError({
      ...site,
      expected: `an array of ${numLayers} { key, value } entries (one per layer)`,
      received: value,
      fix: 'pass one entry per layer, e.g. splitPrefixKeyValues(prefix) for a [layers, 2, B, heads, P, headSize] tensor.',
    });
  }
  // 'prefix' is bound by the first key and must be the same in every layer.
  let prefixLength: number | undefined;
  value.forEach((entry: Partial<LayerKeyValues> | null, layer) => {
    for (const part of ['key', 'value'] as const) {
      const partSite = { ...site, argumentName: `${site.argumentName}[${layer}].${part}` };
      const tensor = checkTensor(partSite, entry?.[part], {
        dtypes: ['float32'],
        shape: ['rows', numHeads, 'prefix', headSize],
        dimensions: prefixLength === undefined ? {} : { prefix: prefixLength },
      });
      prefixLength = tensor.shape[2]!;
      if (tensor.shape[0] !== batchSize && tensor.shape[0] !== 1) {
        throw new ShapeMismatchError({
          ...partSite,
          expected: `a batch axis of ${batchSize} (the inputs' batch) or 1 (shared by every row)`,
          received: tensor,
          fix: 'give one prefix per row, or one prefix of batch 1 for all rows.',
        });
      }
    }
  });
  return prefixLength ?? 0;
}

/** Checks a padding mask `[batch, sequence]` (int32, float32 or bool). */
export function checkAttentionMask(
  site: ArgumentSite,
  value: unknown,
  dimensions: DimensionSizes,
): tf.Tensor {
  return checkTensor(site, value, {
    dtypes: ['int32', 'float32', 'bool'],
    shape: ['batch', 'sequence'],
    dimensions,
  });
}
