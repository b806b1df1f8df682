import { checkFiniteNumber, checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { defaultWeightDecayFilter, type WeightDecayFilter } from './weight-decay-filter';

/** AdamW hyper-parameters (the learning rate is passed per update, from the schedule). */
export interface AdamWOptions {
  /** $\beta_1$, the first-moment decay. Default 0.9. */
  beta1?: number;
  /** $\beta_2$, the second-moment decay. Default 0.999. */
  beta2?: number;
  /** $\varepsilon$, added to $\sqrt{\hat v}$. Default 1e-8. */
  epsilon?: number;
  /** $\lambda$, the decoupled weight decay. Default 0.01 (PyTorch's `AdamW` default). */
  weightDecay?: number;
  /** Which variables get weight decay. Default {@link defaultWeightDecayFilter}. */
  weightDecayFilter?: WeightDecayFilter;
  /** Embedding tables among the variables (excluded from decay by the default filter). */
  embeddings?: readonly tf.Variable[];
}

/** {@link AdamWOptions} checked, with the defaults filled in. */
export interface AdamWSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly weightDecayFilter: WeightDecayFilter;
  readonly embeddings: readonly tf.Variable[];
}

/** The option names of {@link AdamWOptions}. */
export const ADAMW_OPTION_KEYS = [
  'beta1',
  'beta2',
  'epsilon',
  'weightDecay',
  'weightDecayFilter',
  'embeddings',
] as const;

/**
 * Checks AdamW options where they were given (`functionName`'s `argumentName`: `createAdamW`'s
 * `options`, or `createTrainer`'s `options.optimizer`): no unknown names,
 * $\beta_1, \beta_2 \in [0, 1)$, $\varepsilon \ge 0$, $\lambda \ge 0$, a filter function and an
 * embeddings array; fills in PyTorch's defaults (0.9, 0.999, 1e-8, 0.01).
 */
export function resolveAdamWOptions(
  options: AdamWOptions | undefined,
  functionName: string,
  argumentName: string,
  allowed: readonly string[] = ADAMW_OPTION_KEYS,
): AdamWSettings {
  checkOptionKeys(functionName, options, allowed, argumentName);
  const given = options ?? {};
  const site = (name: string) => ({ functionName, argumentName: `${argumentName}.${name}` });
  const decay = (name: string, fallback: number, fix: string) =>
    checkFiniteNumber(
      site(name),
      given[name as 'beta1'],
      { min: 0, max: 1, maxExclusive: true },
      fix,
      fallback,
    );
  const filter = given.weightDecayFilter ?? defaultWeightDecayFilter;
  if (typeof filter !== 'function') {
    throw new InvalidArgumentError({
      ...site('weightDecayFilter'),
      expected: 'a function ({ variable, isEmbedding }) => boolean',
      received: filter,
      fix: 'pass a filter, or leave it out for the default (rank ≥ 2, not an embedding, no "norm").',
    });
  }
  const embeddings = given.embeddings ?? [];
  if (!Array.isArray(embeddings)) {
    throw new InvalidArgumentError({
      ...site('embeddings'),
      expected: 'an array of tf.Variable',
      received: embeddings,
      fix: 'list the embedding tables among the variables, or leave it out.',
    });
  }
  return {
    beta1: decay('beta1', 0.9, 'pass e.g. 0.9.'),
    beta2: decay('beta2', 0.999, 'pass e.g. 0.999 (0.95 for large LMs).'),
    epsilon: checkFiniteNumber(site('epsilon'), given.epsilon, { min: 0 }, 'pass e.g. 1e-8.', 1e-8),
    weightDecay: checkFiniteNumber(
      site('weightDecay'),
      given.weightDecay,
      { min: 0 },
      'pass e.g. 0.01 or 0.1, or 0 to turn decay off.',
      0.01,
    ),
    weightDecayFilter: filter,
    embeddings,
  };
}
