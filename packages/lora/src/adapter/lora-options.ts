import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOneOf,
  checkPositiveInteger,
  checkRandomSource,
  createRng,
  type RandomSource,
} from '@lm-objectives/core';
import { loraScaling } from './lora-scaling';

/**
 * How the down-projection $A$ is initialised ($B$ always starts at 0, so that the adapted model
 * equals the base model at step 0):
 * - `'uniform'` (default): $A \sim U(-1/\sqrt{\mathrm{in}}, +1/\sqrt{\mathrm{in}})$, what Kaiming-uniform
 *   with $a = \sqrt5$ amounts to (the widely used implementation's default), not He-uniform's $\sqrt{6/\mathrm{in}}$;
 * - `'gaussian'`: $A \sim \mathcal{N}(0, \sigma^2)$ with $\sigma = 1/r$ (PEFT's `'gaussian'`).
 */
export type LoraInitialization = 'uniform' | 'gaussian';

/** The settings of a LoRA adapter. Every member is optional; defaults are what users expect. */
export interface LoraOptions {
  /** Rank $r$ of the update $\Delta W = s\,A B$. Default 8. */
  rank?: number;
  /** $\alpha$: the update is scaled by $\alpha / r$ (or $\alpha/\sqrt r$ with `rsLora`). Default 8. */
  alpha?: number;
  /** Rank-stabilised scaling $\alpha/\sqrt r$. Default `false`. */
  rsLora?: boolean;
  /** Dropout rate on the adapter branch's input, applied only while training. Default 0. */
  dropout?: number;
  /** How $A$ is initialised. Default `'uniform'`. */
  initialization?: LoraInitialization;
  /**
   * Seed of the random source (core's `createRng`) that initialises $A$ and draws dropout masks.
   * Default 0. Ignored when `random` is given.
   */
  seed?: number;
  /** A random source to draw from instead of `createRng(seed)`. */
  random?: RandomSource;
}

/** {@link LoraOptions} with every default filled in. */
export interface ResolvedLoraOptions {
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  readonly dropout: number;
  readonly initialization: LoraInitialization;
  /** $\alpha/r$ or $\alpha/\sqrt r$. */
  readonly scaling: number;
}

/** The keys of {@link LoraOptions}, for option-key checks. */
export const LORA_OPTION_KEYS = [
  'rank',
  'alpha',
  'rsLora',
  'dropout',
  'initialization',
  'seed',
  'random',
] as const;

/** The user-visible defaults: $r = 8$, $\alpha = 8$, no dropout, uniform $A$, $B = 0$. */
export const LORA_DEFAULTS = {
  rank: 8,
  alpha: 8,
  rsLora: false,
  dropout: 0,
  initialization: 'uniform',
} as const;

/** Validates {@link LoraOptions}, fills in the defaults, and returns the random source to use. */
export function resolveLoraOptions(
  functionName: string,
  options: LoraOptions,
): { resolved: ResolvedLoraOptions; random: RandomSource } {
  const site = (argumentName: string) => ({
    functionName,
    argumentName: `options.${argumentName}`,
  });
  const rank = checkPositiveInteger(
    site('rank'),
    options.rank,
    'pass a positive integer rank such as 4 or 8.',
    LORA_DEFAULTS.rank,
  );
  const alpha = checkFiniteNumber(
    site('alpha'),
    options.alpha,
    { min: 0, minExclusive: true },
    'pass α > 0 (α = r gives a scaling of 1).',
    LORA_DEFAULTS.alpha,
  );
  const rsLora = checkBoolean(site('rsLora'), options.rsLora, LORA_DEFAULTS.rsLora);
  const dropout = checkFiniteNumber(
    site('dropout'),
    options.dropout,
    { min: 0, max: 1, maxExclusive: true },
    'pass a rate in [0, 1), e.g. 0.05 or 0.1.',
    LORA_DEFAULTS.dropout,
  );
  const initialization = checkOneOf(
    site('initialization'),
    options.initialization,
    ['uniform', 'gaussian'] as const,
    LORA_DEFAULTS.initialization,
  );
  const random =
    options.random === undefined
      ? createRng(
          checkInteger(
            site('seed'),
            options.seed,
            { min: 0, max: Number.MAX_SAFE_INTEGER },
            'pass a non-negative integer seed such as 42.',
            0,
          ),
        )
      : checkRandomSource(site('random'), options.random);
  return {
    resolved: {
      rank,
      alpha,
      rsLora,
      dropout,
      initialization,
      scaling: loraScaling(alpha, rank, rsLora),
    },
    random,
  };
}
