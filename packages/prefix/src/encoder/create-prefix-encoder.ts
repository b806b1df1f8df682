import { createRng, linear } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkBatchSize } from '../internal/check-batch-size';
import { checkPrefixAlive } from '../internal/check-prefix-alive';
import { normalValues, uniformValues } from './initial-values';
import {
  type PrefixKeyValues,
  splitStackedPrefix,
  stackProjectedPrefix,
} from './prefix-key-values';
import {
  checkPrefixModelSizes,
  keyValueWidth,
  type PrefixModelSizes,
  prefixWidth,
} from './prefix-model-sizes';
import type { PrefixSource } from './prefix-source';
import {
  type PrefixTuningOptions,
  type ResolvedPrefixTuningOptions,
  resolvePrefixTuningOptions,
} from './prefix-tuning-options';

/** The stable names of a prefix encoder's weights, in creation order. */
export type PrefixEncoderWeightName =
  | 'embedding'
  | 'projection.hidden.kernel'
  | 'projection.hidden.bias'
  | 'projection.output.kernel'
  | 'projection.output.bias';

/** A trainable prefix: the embedding table and, with `prefixProjection`, the MLP over it. */
export interface PrefixEncoder extends PrefixSource {
  /** The options with every default filled in. */
  readonly options: ResolvedPrefixTuningOptions;
  /**
   * Every weight by stable name: `embedding` (`[P, L·2·H_kv]`, or `[P, H_kv]` with the MLP), and
   * with `prefixProjection` the MLP's `projection.hidden.{kernel,bias}` (`[H_kv, E]`, `[E]`) and
   * `projection.output.{kernel,bias}` (`[E, L·2·H_kv]`, `[L·2·H_kv]`); $H_{kv}$ =
   * `numKeyValueHeads · headSize` (the hidden size $H$ without grouped-query attention).
   */
  readonly weights: Readonly<Partial<Record<PrefixEncoderWeightName, tf.Variable>>>;
  /** The trainable variables (the same, as a list): all that prefix tuning trains. */
  readonly variables: readonly tf.Variable[];
  /** The embedding table among {@link PrefixEncoder.variables} (kept out of weight decay by default). */
  readonly embeddings: readonly tf.Variable[];
  /**
   * The projected prefixes, float32 `[P, L·2·H_kv]`: the table itself, or
   * $\tanh(E W_1 + b_1) W_2 + b_2$ with the MLP. Caller-owned.
   */
  projectedPrefix(): tf.Tensor2D;
  /**
   * Trainable parameters: $P \cdot L \cdot 2H_{kv}$, or
   * $PH_{kv} + H_{kv}E + E + E \cdot L \cdot 2H_{kv} + L \cdot 2H_{kv}$ with the MLP.
   */
  parameterCount(): number;
  /** Parameters of the exported prefix, $P \cdot L \cdot 2H_{kv}$ (the MLP is not exported). */
  exportedParameterCount(): number;
}

let encoderCount = 0;

/**
 * Creates the trainable prefix of prefix tuning (Li & Liang, 2021) for a model of the given sizes.
 * The model stays frozen; the prefix supplies $P$ extra keys and values in every layer, which every
 * query attends to.
 *
 * With $H_{kv} = n_{kv} d$ the width of one layer's keys ($n_{kv}$ = `numKeyValueHeads`, default
 * `numHeads`, so $H_{kv} = H$ without grouped-query attention; PEFT's `token_dim` likewise):
 *
 * - Without reparameterisation: one table $T \in \mathbb{R}^{P \times L \cdot 2H_{kv}}$.
 * - With `prefixProjection`: $T = \tanh(E W_1 + b_1) W_2 + b_2$ with
 *   $E \in \mathbb{R}^{P \times H_{kv}}$, $W_1 \in \mathbb{R}^{H_{kv} \times E'}$,
 *   $W_2 \in \mathbb{R}^{E' \times L \cdot 2H_{kv}}$; the MLP is a training device, discarded by
 *   `exportPrefix`.
 *
 * Row $p$ of $T$ is read as `[L, 2 (key, value), kvHeads, d]` (see
 * `prefixKeyValuesFromProjection`), so each layer gets keys and values of the model's own head
 * count, `[B, numKeyValueHeads, P, d]`.
 *
 * Initialisation, from `createRng(seed)` in this order: the embedding table
 * $\sim \mathcal N(0, \sigma^2)$ with $\sigma$ = `initializerRange`; then each MLP kernel and bias
 * $\sim U(\pm 1/\sqrt{\mathrm{fanIn}})$ (PyTorch's `nn.Linear` default).
 *
 * @param sizes the model's `numLayers`, `numHeads`, `headSize` and, with grouped-query attention,
 *   `numKeyValueHeads` (e.g. `decoder.config`, a Llama decoder's included).
 * @example
 * const decoder = createCausalDecoder({ vocabularySize: 3000 });
 * const prefix = createPrefixEncoder(decoder.config, { numVirtualTokens: 10, prefixProjection: true });
 * const outputs = applyWithPrefix(decoder, prefix, { inputIds, attentionMask });
 */
export function createPrefixEncoder(
  sizes: PrefixModelSizes,
  options: PrefixTuningOptions,
): PrefixEncoder {
  const functionName = 'createPrefixEncoder';
  const checkedSizes = checkPrefixModelSizes(functionName, 'sizes', sizes);
  // The embedding (and default MLP) width is the key width, as PEFT's token_dim with grouped-query attention.
  const keyWidth = keyValueWidth(checkedSizes);
  const resolved = resolvePrefixTuningOptions(functionName, options, keyWidth);
  const { numVirtualTokens, prefixProjection, encoderHiddenSize, initializerRange } = resolved;
  const width = prefixWidth(checkedSizes);
  const random = options.random ?? createRng(resolved.seed);
  const scope = `prefixEncoder${encoderCount++}`;

  const weights: Partial<Record<PrefixEncoderWeightName, tf.Variable>> = {};
  const create = (
    name: PrefixEncoderWeightName,
    shape: [number] | [number, number],
    values: Float32Array,
  ) => {
    const initial = tf.tensor(values, shape, 'float32');
    weights[name] = tf.variable(initial, true, `${scope}/${name}`);
    initial.dispose(); // the variable holds its own reference to the values
  };
  const tableWidth = prefixProjection ? keyWidth : width;
  create(
    'embedding',
    [numVirtualTokens, tableWidth],
    normalValues(random, numVirtualTokens * tableWidth, initializerRange),
  );
  if (prefixProjection) {
    const dense = (name: 'hidden' | 'output', inputSize: number, outputSize: number) => {
      const bound = 1 / Math.sqrt(inputSize);
      create(
        `projection.${name}.kernel`,
        [inputSize, outputSize],
        uniformValues(random, inputSize * outputSize, bound),
      );
      create(`projection.${name}.bias`, [outputSize], uniformValues(random, outputSize, bound));
    };
    dense('hidden', keyWidth, encoderHiddenSize);
    dense('output', encoderHiddenSize, width);
  }
  const variables = Object.values(weights) as tf.Variable[];
  const embedding = weights.embedding!;
  let disposed = false;

  const projectedPrefix = (): tf.Tensor2D => {
    checkPrefixAlive(disposed, 'PrefixEncoder.projectedPrefix');
    if (!prefixProjection) return tf.clone(embedding) as tf.Tensor2D;
    return tf.tidy(() => {
      const hidden = tf.tanh(
        linear(embedding, weights['projection.hidden.kernel']!, weights['projection.hidden.bias']!),
      );
      return linear(
        hidden,
        weights['projection.output.kernel']!,
        weights['projection.output.bias']!,
      ) as tf.Tensor2D;
    });
  };

  return {
    sizes: checkedSizes,
    numVirtualTokens,
    options: resolved,
    weights,
    variables,
    embeddings: [embedding],
    projectedPrefix,
    keyValues(batchSize = 1): PrefixKeyValues[] {
      checkPrefixAlive(disposed, 'PrefixEncoder.keyValues');
      const rows = checkBatchSize('PrefixEncoder.keyValues', batchSize);
      return tf.tidy(() =>
        splitStackedPrefix(stackProjectedPrefix(projectedPrefix(), checkedSizes), rows),
      );
    },
    stackedKeyValues() {
      checkPrefixAlive(disposed, 'PrefixEncoder.stackedKeyValues');
      return tf.tidy(() => stackProjectedPrefix(projectedPrefix(), checkedSizes));
    },
    parameterCount: () => variables.reduce((sum, variable) => sum + variable.size, 0),
    exportedParameterCount: () => numVirtualTokens * width,
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(variables);
    },
  };
}
