import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapterState } from './lora-adapter-state';
import { loraStateError } from './lora-state-error';

/** The update $\Delta W = s\,AB$ `[in, out]` in float32, caller-owned. */
export function loraDelta(state: LoraAdapterState): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.matMul(state.a, state.b), state.scaling));
}

/**
 * Writes $W \leftarrow W + \sigma\,s\,AB$ ($\sigma = \pm 1$) in float32. With `requireFinite`,
 * computes the result first and refuses, leaving $W$ unchanged, when any entry is NaN or ±∞.
 */
function writeKernel(
  state: LoraAdapterState,
  sign: 1 | -1,
  functionName: string,
  requireFinite: boolean,
): void {
  const { kernel, name } = state;
  const updated = tf.tidy(() =>
    sign > 0 ? tf.add(kernel, loraDelta(state)) : tf.sub(kernel, loraDelta(state)),
  );
  if (requireFinite) {
    const finite = tf.tidy(() => tf.all(tf.isFinite(updated)));
    const ok = finite.dataSync()[0] === 1;
    finite.dispose();
    if (!ok) {
      updated.dispose();
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'adapter',
        expected: 'an update whose merged kernel is finite',
        received: name,
        receivedDescription: `adapter '${name}', whose merged kernel would contain NaN or ±Infinity`,
        fix: 'check A and B for non-finite values (a diverged step); the kernel was left unchanged.',
      });
    }
  }
  kernel.assign(updated);
  updated.dispose();
}

/**
 * Merges the update into the base kernel, $W \leftarrow W + s\,AB$ (float32), so that inference
 * costs one product. Refuses a merged adapter; with `requireFinite` (`safeMerge`) also a
 * non-finite result, changing nothing.
 */
export function mergeLoraAdapter(
  state: LoraAdapterState,
  functionName: 'merge' | 'safeMerge',
  requireFinite: boolean,
): void {
  if (state.merged) {
    throw loraStateError(
      functionName,
      state.name,
      true,
      'call unmerge() first, or skip this merge.',
    );
  }
  writeKernel(state, 1, functionName, requireFinite);
  state.merged = true;
}

/** Takes the update out of the base kernel again, $W \leftarrow W - s\,AB$. Refuses an unmerged adapter. */
export function unmergeLoraAdapter(state: LoraAdapterState): void {
  if (!state.merged) {
    throw loraStateError(
      'unmerge',
      state.name,
      false,
      'only unmerge an adapter that merge() or safeMerge() merged.',
    );
  }
  writeKernel(state, -1, 'unmerge', false);
  state.merged = false;
}
