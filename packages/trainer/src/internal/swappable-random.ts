import { createRng, createRngFromState, type RandomSource } from '@lm-objectives/core';

/** A {@link RandomSource} whose state can be replaced in place (by a checkpoint load). */
export interface SwappableRandom extends RandomSource {
  /** Continues from `state` (four words from `getState()`), keeping this object's identity. */
  restore(state: readonly number[]): void;
}

/**
 * The trainer's random source: a stable object delegating to the current generator, so that code
 * holding `trainer.random` keeps drawing from the right stream after a checkpoint is loaded.
 */
export function createSwappableRandom(seed: number): SwappableRandom {
  let current = createRng(seed);
  return {
    nextUint32: () => current.nextUint32(),
    uniform: () => current.uniform(),
    int: (min, max) => current.int(min, max),
    bernoulli: (p) => current.bernoulli(p),
    shuffle: (items) => current.shuffle(items),
    categorical: (weights) => current.categorical(weights),
    poisson: (lambda) => current.poisson(lambda),
    normal: (mean, std) => current.normal(mean, std),
    fork: () => current.fork(),
    getState: () => current.getState(),
    restore(state) {
      current = createRngFromState(state);
    },
  };
}
