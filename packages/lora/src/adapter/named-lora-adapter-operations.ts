import { checkOptionKeys, InvalidArgumentError, linear } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { createLoraAdapters, type LoraLinearSet } from './create-lora-adapters';
import type { LoraApplyOptions } from './lora-adapter';
import { LORA_OPTION_KEYS } from './lora-options';
import {
  lookupNamedAdapter,
  type NamedLoraAdapterOptions,
  type NamedLoraAdaptersState,
  refuseWhileMerged,
  setAdapterTrainable,
} from './named-lora-adapters-state';

/** Adds an adapter under a new name, frozen until activated; its variables join no one else's. */
export function addNamedAdapter(
  state: NamedLoraAdaptersState,
  name: string,
  options: NamedLoraAdapterOptions,
): LoraLinearSet {
  const functionName = 'NamedLoraAdapters.add';
  if (typeof name !== 'string' || name === '' || state.sets.has(name)) {
    const taken = [...state.sets.keys()].map((known) => `'${known}'`).join(', ');
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'name',
      expected: `a new, non-empty adapter name (taken: ${taken || 'none'})`,
      received: name,
      fix: 'choose another name, or delete(name) the existing adapter first.',
    });
  }
  checkOptionKeys(functionName, options, [...LORA_OPTION_KEYS, 'targets', 'outputHeads']);
  const set = createLoraAdapters(state.linears, { ...options, modelVariables: state.frozen });
  setAdapterTrainable(set, false);
  state.sets.set(name, set);
  return set;
}

/** Makes `name` (or, with `null`, no adapter) the one that applies and the only one that trains. */
export function activateNamedAdapter(state: NamedLoraAdaptersState, name: string | null): void {
  const functionName =
    name === null ? 'NamedLoraAdapters.disableAll' : 'NamedLoraAdapters.activate';
  const set = name === null ? undefined : lookupNamedAdapter(state, functionName, name);
  refuseWhileMerged(state, functionName, name ?? '(none)');
  for (const other of state.sets.values()) setAdapterTrainable(other, other === set);
  state.active = name;
}

/** Removes an adapter and frees its weights; refuses the merged one (its update is in the base weights). */
export function deleteNamedAdapter(state: NamedLoraAdaptersState, name: string): void {
  const functionName = 'NamedLoraAdapters.delete';
  const set = lookupNamedAdapter(state, functionName, name);
  if (state.merged === name) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'name',
      expected: 'an adapter that is not merged',
      received: name,
      fix: 'call unmerge() first: deleting a merged adapter would leave its update in the base weights.',
    });
  }
  set.dispose();
  state.sets.delete(name);
  if (state.active === name) state.active = null;
}

/**
 * Merges the named adapter (default: the active one), $W \leftarrow W + s\,AB$, and activates
 * it. A copy of each adapted kernel is kept, because $W + s\,AB - s\,AB$ in float32 is $W$ only
 * up to rounding: unmerging restores the copy, bit for bit.
 */
export function mergeNamedAdapter(state: NamedLoraAdaptersState, name: string | undefined): void {
  const functionName = 'NamedLoraAdapters.merge';
  const target = name ?? state.active;
  if (target === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'name',
      expected: 'an adapter name, or an active adapter',
      received: name,
      fix: 'pass the name of the adapter to merge, or activate(name) one first.',
    });
  }
  const set = lookupNamedAdapter(state, functionName, target);
  if (state.merged !== null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'name',
      expected: 'no adapter merged yet',
      received: target,
      receivedDescription: `'${target}' while '${state.merged}' is merged`,
      fix: 'call unmerge() before merging another adapter (or the same one again).',
    });
  }
  const snapshot = new Map(
    [...set.adapters.values()].map((adapter) => [adapter.kernel, tf.clone(adapter.kernel)]),
  );
  try {
    set.merge();
  } catch (error) {
    tf.dispose([...snapshot.values()]);
    throw error;
  }
  state.snapshot = snapshot;
  state.merged = target;
  activateNamedAdapter(state, target);
}

/** Takes the merged adapter out of the base weights, restoring the kernels' copies bit for bit. */
export function unmergeNamedAdapter(state: NamedLoraAdaptersState): void {
  if (state.merged === null) {
    throw new InvalidArgumentError({
      functionName: 'NamedLoraAdapters.unmerge',
      argumentName: 'adapters',
      expected: 'a merged adapter',
      received: null,
      receivedDescription: 'no merged adapter',
      fix: 'only unmerge after merge(name).',
    });
  }
  state.sets.get(state.merged)!.unmerge();
  for (const [kernel, original] of state.snapshot!) {
    kernel.assign(original);
    original.dispose();
  }
  state.snapshot = null;
  state.merged = null;
}

/** $y = xW + b$ through the active adapter when it adapts `name` ($+\,s\,(xA)B$), else the base weights. */
export function namedAdapterLinear(
  state: NamedLoraAdaptersState,
  name: string,
  x: tf.Tensor,
  options: LoraApplyOptions & { training: boolean },
): tf.Tensor {
  const set = state.active === null ? undefined : state.sets.get(state.active);
  if (set) return set.linear(name, x, options);
  const base = Object.hasOwn(state.linears, name) ? state.linears[name] : undefined;
  if (!base) {
    const known = Object.keys(state.linears).map((each) => `'${each}'`);
    throw new InvalidArgumentError({
      functionName: 'NamedLoraAdapters.linear',
      argumentName: 'name',
      expected: `one of the linears ${known.join(', ')}`,
      received: name,
      fix: 'use the name under which the linear was passed to createNamedLoraAdapters.',
    });
  }
  return linear(x, base.kernel, base.bias);
}

/** Frees every adapter (and a kept kernel copy) and restores the model variables' `trainable` flags. */
export function disposeNamedAdapters(state: NamedLoraAdaptersState): void {
  if (state.snapshot) tf.dispose([...state.snapshot.values()]);
  state.snapshot = null;
  for (const set of state.sets.values()) set.dispose();
  state.sets.clear();
  state.active = null;
  for (const [variable, trainable] of state.previouslyTrainable) {
    if (!variable.isDisposed) variable.trainable = trainable;
  }
}
