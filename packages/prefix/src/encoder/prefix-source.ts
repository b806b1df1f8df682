import type * as tf from '@tensorflow/tfjs-core';
import type { PrefixKeyValues } from './prefix-key-values';
import type { ResolvedPrefixModelSizes } from './prefix-model-sizes';

/**
 * Anything that supplies a prefix: a trainable {@link PrefixEncoder} or a {@link LoadedPrefix}.
 * `applyWithPrefix`, `createPrefixTrainableModel` and `exportPrefix` accept either.
 */
export interface PrefixSource {
  /** The sizes of the model the prefix is for (`numKeyValueHeads` filled in). */
  readonly sizes: ResolvedPrefixModelSizes;
  /** $P$. */
  readonly numVirtualTokens: number;
  /**
   * The per-layer keys and values, float32 `[batchSize, numKeyValueHeads, P, headSize]` each. Differentiable
   * with respect to a trainable prefix's variables. Caller-owned.
   *
   * @param batchSize rows to broadcast to; default `1` (shared by every row).
   */
  keyValues(batchSize?: number): PrefixKeyValues[];
  /** The prefixes stacked as float32 `[numLayers, 2 (key, value), numKeyValueHeads, P, headSize]`. Caller-owned. */
  stackedKeyValues(): tf.Tensor;
  /** Frees the prefix's tensors; it is unusable afterwards. */
  dispose(): void;
}
