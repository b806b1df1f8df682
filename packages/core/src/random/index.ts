export { createRng, createRngFromState } from './create-rng';
export type { RandomSource } from './random-source';
export { truncatedNormalValues } from './truncated-normal-values';
