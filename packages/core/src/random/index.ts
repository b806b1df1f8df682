export { createRng, createRngFromState } from './create-rng';
export type { RandomSource } from './random-source';
