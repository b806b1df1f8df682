import {
  checkBoolean,
  checkOptionKeys,
  checkVariable,
  type DimensionSizes,
  InvalidArgumentError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { applyLoraAdapter } from './apply-lora-adapter';
import { checkRankFitsKernel } from './check-rank-fits-kernel';
import { createLoraWeights } from './create-lora-weights';
import type { LoraAdapter } from './lora-adapter';
import type { LoraAdapterState } from './lora-adapter-state';
import { LORA_OPTION_KEYS, type LoraOptions, resolveLoraOptions } from './lora-options';
import { initialDownProjection } from './lora-random';
import { loraDelta, mergeLoraAdapter, unmergeLoraAdapter } from './merge-lora-adapter';

/** The options of {@link createLoraAdapter}. */
export interface CreateLoraAdapterOptions extends LoraOptions {
  /** The base kernel `[in, out]`, a float32 variable. It is frozen (`trainable = false`). */
  kernel: tf.Variable;
  /** The base bias `[out]`, frozen too. */
  bias?: tf.Variable;
  /** A name for messages and checkpoints. Default `'linear'`. */
  name?: string;
  /**
   * Existing variables to use as $A$ `[in, r]` and $B$ `[r, out]` (the `tf.layers` integration
   * creates them as layer weights); they are initialised here all the same.
   */
  weights?: { a: tf.Variable; b: tf.Variable };
  /** The kernel already holds the merged update (restoring a model saved while merged). Default `false`. */
  merged?: boolean;
}

const FUNCTION_NAME = 'createLoraAdapter';

/** Checks the adapted layer: a non-empty name, a float32 kernel variable `[in, out]`, a bias variable `[out]`. */
function checkBaseLayer(options: CreateLoraAdapterOptions) {
  const name = options.name ?? 'linear';
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.name',
      expected: 'a non-empty string',
      received: name,
      fix: "name the adapted linear, e.g. 'layer0/query'.",
    });
  }
  const site = (argumentName: string) => ({ functionName: FUNCTION_NAME, argumentName });
  const dimensions: DimensionSizes = {};
  const kernel = checkVariable(site('options.kernel'), options.kernel, {
    shape: ['in', 'out'],
    dimensions,
  });
  const bias =
    options.bias === undefined
      ? undefined
      : checkVariable(site('options.bias'), options.bias, { shape: ['out'], dimensions });
  const { in: inputSize, out: outputSize } = dimensions as { in: number; out: number };
  return { name, kernel, bias, inputSize, outputSize };
}

/**
 * Creates a {@link LoraAdapter} around a dense kernel: $A \sim U(\pm1/\sqrt{\mathrm{in}})$ (or
 * Gaussian), $B = 0$, so the adapted layer equals the base layer exactly at initialisation; freezes
 * the kernel and bias. All randomness (initialisation, dropout masks) comes from core's seeded
 * random source. The rank may not exceed $\min(\mathrm{in}, \mathrm{out})$.
 *
 * @example
 * const adapter = createLoraAdapter({ kernel, bias, name: 'query', rank: 4, alpha: 8 });
 * const y = adapter.apply(x, { training: true }); // x [B, L, in] → [B, L, out]
 * optimizer.minimize(() => loss(y), false, adapter.trainableWeights());
 */
export function createLoraAdapter(options: CreateLoraAdapterOptions): LoraAdapter {
  if (options === undefined) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options',
      expected: 'an object with at least a kernel variable',
      received: options,
      fix: 'pass { kernel, bias?, rank?, alpha?, ... }.',
    });
  }
  checkOptionKeys(FUNCTION_NAME, options, [
    ...LORA_OPTION_KEYS,
    'kernel',
    'bias',
    'name',
    'weights',
    'merged',
  ]);
  const { name, kernel, bias, inputSize, outputSize } = checkBaseLayer(options);
  const { resolved, random } = resolveLoraOptions(FUNCTION_NAME, options);
  const { rank, scaling, dropout } = resolved;
  checkRankFitsKernel(FUNCTION_NAME, 'options.rank', rank, name, [inputSize, outputSize]);
  const merged = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.merged' },
    options.merged,
    false,
  );
  const initialA = initialDownProjection(random, inputSize, rank, resolved.initialization);
  const weights = createLoraWeights(FUNCTION_NAME, options.weights, initialA, [
    inputSize,
    rank,
    outputSize,
  ]);
  kernel.trainable = false;
  if (bias) bias.trainable = false;
  const { a, b } = weights;
  const state: LoraAdapterState = {
    name,
    kernel,
    bias,
    a,
    b,
    inputSize,
    outputSize,
    scaling,
    dropout,
    random,
    merged,
    disposed: false,
  };
  return {
    name,
    inputSize,
    outputSize,
    rank,
    scaling,
    dropout,
    kernel,
    bias,
    alpha: resolved.alpha,
    rsLora: resolved.rsLora,
    a,
    b,
    get merged() {
      return state.merged;
    },
    apply: (x, applyOptions) => applyLoraAdapter(state, x, applyOptions),
    delta: () => loraDelta(state),
    merge: () => mergeLoraAdapter(state, 'merge', false),
    safeMerge: () => mergeLoraAdapter(state, 'safeMerge', true),
    unmerge: () => unmergeLoraAdapter(state),
    trainableWeights: () => [a, b],
    dispose() {
      if (state.disposed) return;
      state.disposed = true;
      if (weights.owned) tf.dispose([a, b]);
    },
  };
}
