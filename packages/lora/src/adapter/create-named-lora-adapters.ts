import { InvalidArgumentError, linear } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionKeys, isVariable } from '../internal/validate';
import type { LoraApplyOptions } from './create-lora-adapter';
import {
  type CreateLoraAdaptersOptions,
  checkModelVariables,
  checkNamedLinears,
  createLoraAdapters,
  type LinearWeights,
  type LoraLinearSet,
} from './create-lora-adapters';
import { LORA_OPTION_KEYS } from './lora-options';

/** The settings of one named adapter: {@link CreateLoraAdaptersOptions} without `modelVariables` (the collection owns the model's variables). */
export type NamedLoraAdapterOptions = Omit<CreateLoraAdaptersOptions, 'modelVariables'>;

/**
 * Several named LoRA adapters on one hand-written model, at most one active at a time. Switching
 * never touches the base weights (they stay bit-identical); merging writes the active adapter into
 * them and unmerging subtracts it again.
 */
export interface NamedLoraAdapters {
  /** The adapter names, in the order they were added. */
  readonly names: readonly string[];
  /** The active adapter's name, or `null` when every adapter is disabled (the base model alone). */
  readonly active: string | null;
  /** The name of the adapter merged into the base weights, or `null`. */
  readonly merged: string | null;
  /** Whether {@link NamedLoraAdapters.linear} applies the active adapter's dropout. Default `false`. */
  training: boolean;
  /**
   * Adds an adapter (not active until {@link NamedLoraAdapters.activate}); its $A$ and $B$ are
   * frozen while it is inactive. Throws if the name is taken.
   */
  add(name: string, options?: NamedLoraAdapterOptions): LoraLinearSet;
  /** The named adapter set (for checkpoints, PEFT export, parameter reports). */
  get(name: string): LoraLinearSet;
  /** Whether an adapter named `name` exists. */
  has(name: string): boolean;
  /** Makes `name` the adapter that {@link NamedLoraAdapters.linear} applies and the only one that trains. */
  activate(name: string): void;
  /** Deactivates every adapter: the model computes with its base weights alone. */
  disableAll(): void;
  /** Removes an adapter and frees its weights. Refuses the merged adapter. */
  delete(name: string): void;
  /**
   * Merges the named adapter (default: the active one) into the base weights,
   * $W \leftarrow W + s\,AB$, and activates it. Only one adapter can be merged at a time; a copy of
   * the adapted kernels is kept until {@link NamedLoraAdapters.unmerge}.
   */
  merge(name?: string): void;
  /**
   * Takes the merged adapter out of the base weights again: they are restored bit for bit from a
   * copy of the adapted kernels kept while merged (subtracting $s\,AB$ in float32 would leave
   * rounding drift).
   */
  unmerge(): void;
  /** The output of the named linear for `x`: through the active adapter when it adapts it, else the base weights. */
  linear(name: string, x: tf.Tensor, options?: LoraApplyOptions): tf.Tensor;
  /** The active adapter's $A$ and $B$ (empty when none is active). */
  trainableWeights(): tf.Variable[];
  /** Frees every adapter and restores the model variables' `trainable` flags. */
  dispose(): void;
}

const FUNCTION_NAME = 'createNamedLoraAdapters';

/**
 * Creates an empty collection of named adapters on a hand-written model: add adapters with
 * `add(name, options)`, switch with `activate(name)` / `disableAll()`, remove with `delete(name)`,
 * and call `linear(name, x)` wherever the model multiplies by a linear. Every model variable is
 * frozen for the collection's lifetime.
 *
 * @param linears every linear of the model by name, e.g. `{ 'layers.0.attention.query': { kernel, bias } }`.
 * @example
 * const adapters = createNamedLoraAdapters(model.linears, { modelVariables: model.variables });
 * adapters.add('sql', { rank: 4, targets: /query|value/ });
 * adapters.add('chat', { rank: 8, targets: 'all-linear' });
 * adapters.activate('sql'); // train or run with the 'sql' adapter
 * adapters.disableAll(); // the base model, bit for bit
 */
export function createNamedLoraAdapters(
  linears: Readonly<Record<string, LinearWeights>>,
  options: { modelVariables?: readonly tf.Variable[] } = {},
): NamedLoraAdapters {
  checkOptionKeys(FUNCTION_NAME, options, ['modelVariables']);
  checkNamedLinears(FUNCTION_NAME, linears);
  const modelVariables = checkModelVariables(FUNCTION_NAME, options.modelVariables);
  // Freeze once here, so that adding and deleting adapters never unfreezes the base.
  const frozen = new Set<tf.Variable>(modelVariables);
  for (const entry of Object.values(linears)) {
    if (isVariable(entry?.kernel)) frozen.add(entry.kernel);
    if (isVariable(entry?.bias)) frozen.add(entry.bias);
  }
  const previouslyTrainable = new Map(
    [...frozen].map((variable) => [variable, variable.trainable]),
  );
  for (const variable of frozen) variable.trainable = false;
  const frozenList = [...frozen];

  const sets = new Map<string, LoraLinearSet>();
  let active: string | null = null;
  let merged: string | null = null;
  let snapshot: Map<tf.Variable, tf.Tensor> | null = null;

  const unknown = (functionName: string, name: unknown): never => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'name',
      expected: `the name of an added adapter (${[...sets.keys()].map((known) => `'${known}'`).join(', ') || 'none added yet'})`,
      received: name,
      fix: 'add the adapter with add(name, options) first, or correct the name.',
    });
  };
  const lookup = (functionName: string, name: string): LoraLinearSet =>
    sets.get(name) ?? unknown(functionName, name);
  const refuseWhileMerged = (functionName: string, name: string) => {
    if (merged !== null && merged !== name) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'name',
        expected: `no adapter merged (the base weights currently hold '${merged}')`,
        received: name,
        fix: "call unmerge() first, so that the base weights are the model's own again.",
      });
    }
  };
  const setTrainable = (set: LoraLinearSet, trainable: boolean) => {
    for (const variable of set.trainableWeights()) variable.trainable = trainable;
  };

  const collection: NamedLoraAdapters = {
    get names() {
      return [...sets.keys()];
    },
    get active() {
      return active;
    },
    get merged() {
      return merged;
    },
    training: false,
    add(name, adapterOptions = {}) {
      if (typeof name !== 'string' || name === '' || sets.has(name)) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.add',
          argumentName: 'name',
          expected: `a new, non-empty adapter name (taken: ${[...sets.keys()].map((known) => `'${known}'`).join(', ') || 'none'})`,
          received: name,
          fix: 'choose another name, or delete(name) the existing adapter first.',
        });
      }
      checkOptionKeys('NamedLoraAdapters.add', adapterOptions, [
        ...LORA_OPTION_KEYS,
        'targets',
        'outputHeads',
      ]);
      const set = createLoraAdapters(linears, { ...adapterOptions, modelVariables: frozenList });
      setTrainable(set, false);
      sets.set(name, set);
      return set;
    },
    get: (name) => lookup('NamedLoraAdapters.get', name),
    has: (name) => sets.has(name),
    activate(name) {
      const set = lookup('NamedLoraAdapters.activate', name);
      refuseWhileMerged('NamedLoraAdapters.activate', name);
      for (const other of sets.values()) setTrainable(other, other === set);
      active = name;
    },
    disableAll() {
      refuseWhileMerged('NamedLoraAdapters.disableAll', '(none)');
      for (const set of sets.values()) setTrainable(set, false);
      active = null;
    },
    delete(name) {
      const set = lookup('NamedLoraAdapters.delete', name);
      if (merged === name) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.delete',
          argumentName: 'name',
          expected: 'an adapter that is not merged',
          received: name,
          fix: 'call unmerge() first: deleting a merged adapter would leave its update in the base weights.',
        });
      }
      set.dispose();
      sets.delete(name);
      if (active === name) active = null;
    },
    merge(name) {
      const target = name ?? active;
      if (target === null) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.merge',
          argumentName: 'name',
          expected: 'an adapter name, or an active adapter',
          received: name,
          fix: 'pass the name of the adapter to merge, or activate(name) one first.',
        });
      }
      const set = lookup('NamedLoraAdapters.merge', target);
      if (merged !== null) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.merge',
          argumentName: 'name',
          expected: 'no adapter merged yet',
          received: target,
          receivedDescription: `'${target}' while '${merged}' is merged`,
          fix: 'call unmerge() before merging another adapter (or the same one again).',
        });
      }
      // Keep the kernels as they were: W + sAB − sAB in float32 is W only up to rounding, and
      // restoring the copy makes unmerge exact, bit for bit.
      snapshot = new Map(
        [...set.adapters.values()].map((adapter) => [adapter.kernel, tf.clone(adapter.kernel)]),
      );
      try {
        set.merge();
      } catch (error) {
        tf.dispose([...snapshot.values()]);
        snapshot = null;
        throw error;
      }
      merged = target;
      collection.activate(target);
    },
    unmerge() {
      if (merged === null) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.unmerge',
          argumentName: 'adapters',
          expected: 'a merged adapter',
          received: null,
          receivedDescription: 'no merged adapter',
          fix: 'only unmerge after merge(name).',
        });
      }
      sets.get(merged)!.unmerge();
      for (const [kernel, original] of snapshot!) {
        kernel.assign(original);
        original.dispose();
      }
      snapshot = null;
      merged = null;
    },
    linear(name, x, applyOptions) {
      const set = active === null ? undefined : sets.get(active);
      if (set) return set.linear(name, x, { training: collection.training, ...applyOptions });
      const base = Object.hasOwn(linears, name) ? linears[name] : undefined;
      if (!base) {
        throw new InvalidArgumentError({
          functionName: 'NamedLoraAdapters.linear',
          argumentName: 'name',
          expected: `one of the linears ${Object.keys(linears)
            .map((known) => `'${known}'`)
            .join(', ')}`,
          received: name,
          fix: 'use the name under which the linear was passed to createNamedLoraAdapters.',
        });
      }
      return linear(x, base.kernel, base.bias);
    },
    trainableWeights: () => (active === null ? [] : sets.get(active)!.trainableWeights()),
    dispose() {
      if (snapshot) tf.dispose([...snapshot.values()]);
      snapshot = null;
      for (const set of sets.values()) set.dispose();
      sets.clear();
      active = null;
      for (const [variable, trainable] of previouslyTrainable) {
        if (!variable.isDisposed) variable.trainable = trainable;
      }
    },
  };
  return collection;
}
