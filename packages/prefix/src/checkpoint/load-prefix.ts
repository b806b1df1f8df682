import {
  checkBoolean,
  checkFiniteValues,
  checkOptionKeys,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PrefixKeyValues } from '../encoder/prefix-key-values';
import { splitStackedPrefix } from '../encoder/prefix-key-values';
import { checkPrefixModelSizes, type PrefixModelSizes } from '../encoder/prefix-model-sizes';
import type { PrefixSource } from '../encoder/prefix-source';
import { checkBatchSize } from '../internal/check-batch-size';
import { checkPrefixAlive } from '../internal/check-prefix-alive';
import { checkPrefixCheckpoint } from './check-prefix-checkpoint';
import type { PrefixCheckpointMetadata } from './prefix-checkpoint';

/** Options of {@link loadPrefix}. */
export interface LoadPrefixOptions {
  /** Load values with NaN or ±∞ (to inspect a diverged run) instead of refusing them. Default `false`. */
  allowNonFinite?: boolean;
}

/** A prefix loaded for inference: constant keys and values (no variables, nothing trains). */
export interface LoadedPrefix extends PrefixSource {
  /** The checkpoint's metadata. */
  readonly metadata: PrefixCheckpointMetadata;
}

/**
 * Loads an exported prefix for a model of the given sizes. The values are held in one tensor
 * `[L, 2, numKeyValueHeads, P, d]`; `keyValues()` slices it per layer.
 *
 * @param sizes the model's `numLayers`, `numHeads`, `headSize` and, with grouped-query attention,
 *   `numKeyValueHeads` (e.g. `decoder.config`).
 * @throws {ShapeMismatchError} when the checkpoint was made for other sizes (nothing is loaded).
 * @throws {InvalidArgumentError} for a malformed checkpoint, or non-finite values unless
 *   `options.allowNonFinite`.
 */
export function loadPrefix(
  checkpoint: unknown,
  sizes: PrefixModelSizes,
  options: LoadPrefixOptions = {},
): LoadedPrefix {
  const functionName = 'loadPrefix';
  checkOptionKeys(functionName, options, ['allowNonFinite']);
  const allowNonFinite = checkBoolean(
    { functionName, argumentName: 'options.allowNonFinite' },
    options.allowNonFinite,
    false,
  );
  const checkedSizes = checkPrefixModelSizes(functionName, 'sizes', sizes);
  const { metadata, keyValues } = checkPrefixCheckpoint(functionName, 'checkpoint', checkpoint);
  if (!allowNonFinite) {
    checkFiniteValues(
      { functionName, argumentName: 'checkpoint.keyValues' },
      keyValues,
      'the prefix diverged while training: export it from a finite state, or pass { allowNonFinite: true } to load it anyway (for inspection).',
    );
  }
  for (const name of ['numLayers', 'numHeads', 'numKeyValueHeads', 'headSize'] as const) {
    if (metadata[name] !== checkedSizes[name]) {
      throw new ShapeMismatchError({
        functionName,
        argumentName: `checkpoint.metadata.${name}`,
        expected: `${name} = ${checkedSizes[name]} (the model's)`,
        received: metadata[name],
        receivedDescription: `${name} = ${metadata[name]} (a prefix for numLayers ${metadata.numLayers}, numHeads ${metadata.numHeads}, numKeyValueHeads ${metadata.numKeyValueHeads}, headSize ${metadata.headSize})`,
        fix: 'load the prefix onto the model configuration it was trained for.',
      });
    }
  }
  const { numLayers, numKeyValueHeads, headSize, numVirtualTokens } = metadata;
  const stacked = tf.tensor(
    keyValues,
    [numLayers, 2, numKeyValueHeads, numVirtualTokens, headSize],
    'float32',
  );
  let disposed = false;
  return {
    sizes: checkedSizes,
    numVirtualTokens,
    metadata,
    keyValues(batchSize = 1): PrefixKeyValues[] {
      checkPrefixAlive(disposed, 'LoadedPrefix.keyValues');
      return splitStackedPrefix(stacked, checkBatchSize('LoadedPrefix.keyValues', batchSize));
    },
    stackedKeyValues() {
      checkPrefixAlive(disposed, 'LoadedPrefix.stackedKeyValues');
      return tf.clone(stacked);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      stacked.dispose();
    },
  };
}
