import {
  type ArgumentSite,
  formatShape,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerKeyValues } from '../layers/multi-head-attention';
import { checkTensor } from './validate';

/**
 * Checks an int32 `[B, L]` id tensor and that every id lies in `[0, limit)`: reading the ids back
 * costs little on cpu and wasm, and an out-of-range id would otherwise read arbitrary memory on wasm.
 */
export function checkIds(
  site: ArgumentSite,
  value: unknown,
  shape: readonly number[],
  limit: number,
  what: string,
): tf.Tensor {
  const ids = checkTensor(
    site,
    value,
    ['int32'],
    shape,
    `pass ${what} as an int32 tensor shaped [batch, length].`,
  );
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
  const fix =
    'pass an additive float32 bias [B, 1, L, L] (0 = may attend, -1e9 = may not), e.g. prefixLmAttentionBias(separators, L) from @lm-objectives/core.';
  const bias = checkTensor(site, value, ['float32'], [-1, 1, -1, length], fix);
  const [rows, , queries] = bias.shape as [number, number, number, number];
  if ((rows !== 1 && rows !== batchSize) || (queries !== 1 && queries !== length)) {
    throw new ShapeMismatchError({
      ...site,
      expected: `a float32 tensor of shape [${batchSize} or 1, 1, ${length} or 1, ${length}]`,
      received: bias,
      fix,
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
  let prefixLength = -1;
  value.forEach((entry: Partial<LayerKeyValues> | null, layer) => {
    for (const part of ['key', 'value'] as const) {
      const partSite = { ...site, argumentName: `${site.argumentName}[${layer}].${part}` };
      const tensor = entry?.[part];
      const expectedLength = prefixLength < 0 ? -1 : prefixLength;
      checkTensor(
        partSite,
        tensor,
        ['float32'],
        [-1, numHeads, expectedLength, headSize],
        `pass float32 [B, ${numHeads}, P, ${headSize}] keys and values with the same P in every layer.`,
      );
      const shape = (tensor as tf.Tensor).shape;
      if (shape[0] !== batchSize && shape[0] !== 1) {
        throw new ShapeMismatchError({
          ...partSite,
          expected: `a batch axis of ${batchSize} (the inputs' batch) or 1 (shared by every row)`,
          received: tensor,
          fix: 'give one prefix per row, or one prefix of batch 1 for all rows.',
        });
      }
      prefixLength = shape[2]!;
    }
  });
  return prefixLength;
}

/** Checks that `value`, when given, is an int32/float32/bool padding mask `[B, L]`. */
export function checkAttentionMask(
  site: ArgumentSite,
  value: unknown,
  shape: readonly number[],
): tf.Tensor {
  return checkTensor(
    site,
    value,
    ['int32', 'float32', 'bool'],
    shape,
    `pass a padding mask shaped ${formatShape(shape)}: 1 for a real token, 0 for padding.`,
  );
}
