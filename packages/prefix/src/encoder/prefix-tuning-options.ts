import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOptionsObject,
  checkRandomSource,
  InvalidArgumentError,
  type RandomSource,
} from '@lm-objectives/core';

/** Options of {@link createPrefixEncoder}. Only `numVirtualTokens` is required. */
export interface PrefixTuningOptions {
  /**
   * $P$, the number of virtual tokens: trainable key/value positions prepended in every layer.
   * `0` is allowed and gives a prefix that changes nothing (the base model exactly).
   */
  numVirtualTokens: number;
  /**
   * Reparameterise the prefix through an MLP while training (Li & Liang's trick for stability):
   * embedding `[P, H_kv]` → dense `H_kv → encoderHiddenSize` → tanh → dense
   * `encoderHiddenSize → L·2·H_kv`, with $H_{kv}$ = `numKeyValueHeads · headSize` ($H$ without
   * grouped-query attention). Without it the prefix is one table `[P, L·2·H_kv]`. Default `false`.
   */
  prefixProjection?: boolean;
  /**
   * Width of the MLP's hidden layer (only with `prefixProjection`). Default: $H_{kv}$, the model's
   * key width (its hidden size $H$ without grouped-query attention).
   */
  encoderHiddenSize?: number;
  /** $\sigma$ of the normal distribution the embedding table starts from. Default `0.02`. */
  initializerRange?: number;
  /** Seed of the initial values, through core's `createRng`. Default `0`. Ignored when `random` is given. */
  seed?: number;
  /** A random source to draw the initial values from instead of `createRng(seed)`. */
  random?: RandomSource;
}

/** {@link PrefixTuningOptions} with every default filled in (`random` stays optional). */
export interface ResolvedPrefixTuningOptions {
  readonly numVirtualTokens: number;
  readonly prefixProjection: boolean;
  /** The MLP's hidden width, or `0` without `prefixProjection`. */
  readonly encoderHiddenSize: number;
  readonly initializerRange: number;
  readonly seed: number;
}

const OPTION_KEYS = [
  'numVirtualTokens',
  'prefixProjection',
  'encoderHiddenSize',
  'initializerRange',
  'seed',
  'random',
] as const;

/**
 * Validates {@link PrefixTuningOptions} and fills in defaults.
 * @internal
 */
export function resolvePrefixTuningOptions(
  functionName: string,
  options: unknown,
  hiddenSize: number,
): ResolvedPrefixTuningOptions {
  checkOptionsObject({ functionName, argumentName: 'options' }, options, {
    required: ['numVirtualTokens'],
    allowed: OPTION_KEYS,
  });
  const given = options as PrefixTuningOptions;
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const numVirtualTokens = checkInteger(
    site('numVirtualTokens'),
    given.numVirtualTokens,
    { min: 0, max: 1 << 16 },
    'pass the number of virtual tokens, a non-negative integer such as 8 or 20.',
  );
  const prefixProjection = checkBoolean(site('prefixProjection'), given.prefixProjection, false);
  if (!prefixProjection && given.encoderHiddenSize !== undefined) {
    throw new InvalidArgumentError({
      ...site('encoderHiddenSize'),
      expected: 'no encoderHiddenSize unless prefixProjection is true',
      received: given.encoderHiddenSize,
      fix: 'add prefixProjection: true to train through the MLP, or remove encoderHiddenSize.',
    });
  }
  const encoderHiddenSize = prefixProjection
    ? checkInteger(
        site('encoderHiddenSize'),
        given.encoderHiddenSize,
        { min: 1, max: 1 << 20 },
        'pass the MLP width, a positive integer such as 512.',
        hiddenSize,
      )
    : 0;
  const initializerRange = checkFiniteNumber(
    site('initializerRange'),
    given.initializerRange,
    { min: 0, max: 10 },
    'pass a small standard deviation, e.g. 0.02.',
    0.02,
  );
  const seed = checkInteger(
    site('seed'),
    given.seed,
    { min: 0, max: Number.MAX_SAFE_INTEGER },
    'pass a non-negative integer seed.',
    0,
  );
  if (given.random !== undefined) checkRandomSource(site('random'), given.random);
  return Object.freeze({
    numVirtualTokens,
    prefixProjection,
    encoderHiddenSize,
    initializerRange,
    seed,
  });
}
