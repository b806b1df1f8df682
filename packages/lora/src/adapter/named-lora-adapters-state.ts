import { InvalidArgumentError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type {
  CreateLoraAdaptersOptions,
  LinearWeights,
  LoraLinearSet,
} from './create-lora-adapters';

/** The settings of one named adapter: {@link CreateLoraAdaptersOptions} without `modelVariables` (the collection owns the model's variables). */
export type NamedLoraAdapterOptions = Omit<CreateLoraAdaptersOptions, 'modelVariables'>;

/** What the operations of a named-adapter collection share. */
export interface NamedLoraAdaptersState {
  /** Every linear of the model by name. */
  readonly linears: Readonly<Record<string, LinearWeights>>;
  /** Every model variable, frozen for the collection's lifetime. */
  readonly frozen: readonly tf.Variable[];
  /** Each frozen variable's `trainable` flag before, restored by `dispose`. */
  readonly previouslyTrainable: ReadonlyMap<tf.Variable, boolean>;
  readonly sets: Map<string, LoraLinearSet>;
  active: string | null;
  merged: string | null;
  /** While merged: a copy of each adapted kernel as it was before the merge. */
  snapshot: Map<tf.Variable, tf.Tensor> | null;
}

/** The adapter set named `name`, or an error listing the names that exist. */
export function lookupNamedAdapter(
  state: NamedLoraAdaptersState,
  functionName: string,
  name: string,
): LoraLinearSet {
  const set = state.sets.get(name);
  if (set) return set;
  const known = [...state.sets.keys()].map((each) => `'${each}'`).join(', ');
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'name',
    expected: `the name of an added adapter (${known || 'none added yet'})`,
    received: name,
    fix: 'add the adapter with add(name, options) first, or correct the name.',
  });
}

/** Refuses to switch adapters while another one is merged into the base weights. */
export function refuseWhileMerged(
  state: NamedLoraAdaptersState,
  functionName: string,
  name: string,
): void {
  if (state.merged === null || state.merged === name) return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'name',
    expected: `no adapter merged (the base weights currently hold '${state.merged}')`,
    received: name,
    fix: "call unmerge() first, so that the base weights are the model's own again.",
  });
}

/** Makes a set's $A$ and $B$ trainable or frozen. */
export function setAdapterTrainable(set: LoraLinearSet, trainable: boolean): void {
  for (const variable of set.trainableWeights()) variable.trainable = trainable;
}
