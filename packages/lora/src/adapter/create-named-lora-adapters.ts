import { checkOptionKeys, isVariable } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  checkModelVariables,
  checkNamedLinears,
  type LinearWeights,
  type LoraLinearSet,
} from './create-lora-adapters';
import type { LoraApplyOptions } from './lora-adapter';
import {
  activateNamedAdapter,
  addNamedAdapter,
  deleteNamedAdapter,
  disposeNamedAdapters,
  mergeNamedAdapter,
  namedAdapterLinear,
  unmergeNamedAdapter,
} from './named-lora-adapter-operations';
import {
  lookupNamedAdapter,
  type NamedLoraAdapterOptions,
  type NamedLoraAdaptersState,
} from './named-lora-adapters-state';

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

/** Every variable of the model, once: the given ones and each linear's kernel and bias. */
function modelVariablesOf(
  linears: Readonly<Record<string, LinearWeights>>,
  modelVariables: readonly tf.Variable[],
): tf.Variable[] {
  const all = new Set<tf.Variable>(modelVariables);
  for (const entry of Object.values(linears)) {
    if (isVariable(entry?.kernel)) all.add(entry.kernel);
    if (isVariable(entry?.bias)) all.add(entry.bias);
  }
  return [...all];
}

/**
 * Creates an empty collection of named adapters on a hand-written model: add adapters with
 * `add(name, options)`, switch with `activate(name)` / `disableAll()`, remove with `delete(name)`,
 * and call `linear(name, x)` wherever the model multiplies by a linear. Every model variable is
 * frozen for the collection's lifetime (once, here, so that adding and deleting adapters never
 * unfreezes the base).
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
  const frozen = modelVariablesOf(
    linears,
    checkModelVariables(FUNCTION_NAME, options.modelVariables),
  );
  const previouslyTrainable = new Map(frozen.map((variable) => [variable, variable.trainable]));
  for (const variable of frozen) variable.trainable = false;
  const state: NamedLoraAdaptersState = {
    linears,
    frozen,
    previouslyTrainable,
    sets: new Map(),
    active: null,
    merged: null,
    snapshot: null,
  };
  const collection: NamedLoraAdapters = {
    get names() {
      return [...state.sets.keys()];
    },
    get active() {
      return state.active;
    },
    get merged() {
      return state.merged;
    },
    training: false,
    add: (name, adapterOptions = {}) => addNamedAdapter(state, name, adapterOptions),
    get: (name) => lookupNamedAdapter(state, 'NamedLoraAdapters.get', name),
    has: (name) => state.sets.has(name),
    activate: (name) => activateNamedAdapter(state, name),
    disableAll: () => activateNamedAdapter(state, null),
    delete: (name) => deleteNamedAdapter(state, name),
    merge: (name) => mergeNamedAdapter(state, name),
    unmerge: () => unmergeNamedAdapter(state),
    linear: (name, x, applyOptions?: LoraApplyOptions) =>
      namedAdapterLinear(state, name, x, { training: collection.training, ...applyOptions }),
    trainableWeights: () =>
      state.active === null ? [] : state.sets.get(state.active)!.trainableWeights(),
    dispose: () => disposeNamedAdapters(state),
  };
  return collection;
}
