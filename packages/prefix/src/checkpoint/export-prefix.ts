import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PrefixSource } from '../encoder/prefix-source';
import {
  PREFIX_CHECKPOINT_FORMAT,
  PREFIX_CHECKPOINT_VERSION,
  PREFIX_LAYOUT,
  type PrefixCheckpoint,
} from './prefix-checkpoint';

/**
 * Exports a prefix for inference: the **projected** keys and values of every layer
 * ($L \cdot 2 \cdot n_{kv} \cdot P \cdot d$ floats, $n_{kv}$ = `numKeyValueHeads`) and the metadata to apply them. A
 * reparameterising MLP is evaluated once and discarded, so the file is the same size with or
 * without it. Reads the values synchronously.
 *
 * @param prefix a {@link PrefixEncoder} (or a {@link LoadedPrefix}, to re-export).
 */
export function exportPrefix(prefix: PrefixSource): PrefixCheckpoint {
  if (
    prefix === null ||
    typeof prefix !== 'object' ||
    typeof prefix.stackedKeyValues !== 'function'
  ) {
    throw new InvalidArgumentError({
      functionName: 'exportPrefix',
      argumentName: 'prefix',
      expected: 'a prefix encoder (createPrefixEncoder) or a loaded prefix (loadPrefix)',
      received: prefix,
      fix: 'pass the object createPrefixEncoder returned.',
    });
  }
  const stacked = prefix.stackedKeyValues();
  const keyValues = Float32Array.from(stacked.dataSync() as Float32Array);
  tf.dispose(stacked);
  const { numLayers, numHeads, headSize } = prefix.sizes;
  const numKeyValueHeads = prefix.sizes.numKeyValueHeads ?? numHeads;
  const options = (prefix as { options?: { prefixProjection?: boolean } }).options;
  const loaded = (prefix as { metadata?: { trainedWithProjection?: boolean } }).metadata;
  return {
    metadata: {
      format: PREFIX_CHECKPOINT_FORMAT,
      formatVersion: PREFIX_CHECKPOINT_VERSION,
      numVirtualTokens: prefix.numVirtualTokens,
      numLayers,
      numHeads,
      numKeyValueHeads,
      headSize,
      layout: PREFIX_LAYOUT,
      trainedWithProjection:
        options?.prefixProjection === true || loaded?.trainedWithProjection === true,
    },
    keyValues,
  };
}
