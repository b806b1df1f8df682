import { InvalidArgumentError } from '@lm-objectives/core';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  LORA_LAYOUT,
  type LoraCheckpoint,
  type LoraTargetWeights,
} from './lora-checkpoint';

/** Whether `value` looks like a {@link LoraAdapterSet}. */
export function isLoraAdapterSet(value: unknown): value is LoraAdapterSet {
  return (
    value != null &&
    typeof value === 'object' &&
    (value as LoraAdapterSet).adapters instanceof Map &&
    typeof (value as LoraAdapterSet).trainableWeights === 'function'
  );
}

/** Throws unless `value` is a {@link LoraAdapterSet}. */
export function checkLoraAdapterSet(functionName: string, value: unknown): LoraAdapterSet {
  if (!isLoraAdapterSet(value)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'adapters',
      expected: 'a LoraAdapterSet (from createLoraAdapters or injectLoraAdapters)',
      received: value,
      fix: 'pass the `adapters` that createLoraAdapters returned, or injectLoraAdapters(...).adapters.',
    });
  }
  return value;
}

/**
 * Saves the **adapter weights only** (every $A$ and $B$, copied) with the metadata needed to
 * apply them: rank, $\alpha$, rsLoRA, scaling, targets, layout and the base kernels' shapes. The
 * result is orders of magnitude smaller than the model. Works whether or not the adapters are
 * merged.
 *
 * @example
 * const bytes = encodeLoraCheckpoint(saveLoraAdapters(lora)); // write to a file or IndexedDB
 */
export function saveLoraAdapters(adapters: LoraAdapterSet): LoraCheckpoint {
  const set = checkLoraAdapterSet('saveLoraAdapters', adapters);
  const list = [...set.adapters.values()];
  const weights = new Map<string, LoraTargetWeights>(
    list.map((adapter) => [
      adapter.name,
      {
        a: Float32Array.from(adapter.a.dataSync() as Float32Array),
        b: Float32Array.from(adapter.b.dataSync() as Float32Array),
      },
    ]),
  );
  const { rank, alpha, rsLora, scaling, dropout, initialization } = set.options;
  return {
    metadata: {
      format: LORA_CHECKPOINT_FORMAT,
      formatVersion: LORA_CHECKPOINT_VERSION,
      rank,
      alpha,
      rsLora,
      scaling,
      dropout,
      initialization,
      layout: LORA_LAYOUT,
      targets: list.map((adapter) => ({
        name: adapter.name,
        baseShape: [adapter.inputSize, adapter.outputSize],
      })),
    },
    weights,
  };
}
