import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapter } from './lora-adapter';
import type { ResolvedLoraOptions } from './lora-options';
import type { LoraParameterReport } from './lora-parameter-report';

/**
 * Several adapters made with one set of {@link ResolvedLoraOptions}: what `createLoraAdapters`
 * (hand-written models) and `injectLoraAdapters` (`tf.layers` models) return, and what adapter
 * checkpoints are saved from and loaded into.
 */
export interface LoraAdapterSet {
  /** The settings shared by every adapter (rank, α, rsLoRA, scaling, dropout, initialisation). */
  readonly options: ResolvedLoraOptions;
  /** The adapters by the name of the linear they adapt, in model order. */
  readonly adapters: ReadonlyMap<string, LoraAdapter>;
  /** Whether the adapters are merged into their kernels (all or none are). */
  readonly merged: boolean;
  /** Every $A$ and $B$: the variables an optimiser should train. */
  trainableWeights(): tf.Variable[];
  /** Merges every adapter ($W \leftarrow W + s\,AB$). Throws, changing nothing, if any is merged. */
  merge(): void;
  /** Like {@link LoraAdapterSet.merge}, but first checks every merged kernel is finite, and changes nothing if one is not. */
  safeMerge(): void;
  /** Unmerges every adapter. Throws, changing nothing, if any is not merged. */
  unmerge(): void;
  /** Trainable versus total parameters and the adapter size versus the model's. */
  parameterReport(): LoraParameterReport;
  /** Frees what the set owns (see each factory). */
  dispose(): void;
}

/** The merge operations of a set, atomic over its adapters. */
export function adapterSetMergeOperations(
  adapters: ReadonlyMap<string, LoraAdapter>,
): Pick<LoraAdapterSet, 'merge' | 'safeMerge' | 'unmerge'> & { readonly merged: boolean } {
  const list = [...adapters.values()];
  const requireAll = (merged: boolean, functionName: string, fix: string) => {
    const wrong = list.find((adapter) => adapter.merged !== merged);
    if (wrong) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'adapters',
        expected: merged ? 'every adapter merged' : 'every adapter unmerged',
        received: wrong.name,
        receivedDescription: `adapter '${wrong.name}', which is ${wrong.merged ? 'already merged' : 'not merged'}`,
        fix,
      });
    }
  };
  return {
    get merged() {
      return list.length > 0 && list.every((adapter) => adapter.merged);
    },
    merge() {
      requireAll(false, 'merge', 'call unmerge() first, or skip this merge.');
      for (const adapter of list) adapter.merge();
    },
    safeMerge() {
      requireAll(false, 'safeMerge', 'call unmerge() first, or skip this merge.');
      for (const adapter of list) {
        const finite = tf.tidy(() => {
          const update = adapter.delta();
          return tf.all(tf.isFinite(tf.add(adapter.kernel, update)));
        });
        const ok = finite.dataSync()[0] === 1;
        finite.dispose();
        if (!ok) {
          throw new InvalidArgumentError({
            functionName: 'safeMerge',
            argumentName: 'adapters',
            expected: 'updates whose merged kernels are all finite',
            received: adapter.name,
            receivedDescription: `adapter '${adapter.name}', whose merged kernel would contain NaN or ±Infinity`,
            fix: 'check A and B for non-finite values (a diverged step); no kernel was changed.',
          });
        }
      }
      for (const adapter of list) adapter.merge();
    },
    unmerge() {
      requireAll(true, 'unmerge', 'only unmerge adapters that merge() or safeMerge() merged.');
      for (const adapter of list) adapter.unmerge();
    },
  };
}
