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
import { checkPrefixModelSizes, type PrefixModelSizes, prefixWidth } from './prefix-model-sizes';
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
   * Every weight by stable name: `embedding` (`[P, L·2·H]`, or `[P, H]` with the MLP), and with
   * `prefixProjection` the MLP's `projection.hidden.{kernel,bias}` (`[H, E]`, `[E]`) and
   * `projection.output.{kernel,bias}` (`[E, L·2·H]`, `[L·2·H]`).
   */
  readonly weights: Readonly<Partial<Record<PrefixEncoderWeightName, tf.Variable>>>;
  /** The trainable variables (the same, as a list): all that prefix tuning trains. */
  readonly variables: readonly tf.Variable[];
  /** The embedding table among {@link PrefixEncoder.variables} (kept out of weight decay by default). */
  readonly embeddings: readonly tf.Variable[];
  /**
   * The projected prefixes, float32 `[P, L·2·H]`: the table itself, or
   * $\tanh(E W_1 + b_1) W_2 + b_2$ with the MLP. Caller-owned.
   */
  projectedPrefix(): tf.Tensor2D;
  /** Trainable parameters: $P \cdot L \cdot 2H$, or $PH + HE + E + E \cdot L \cdot 2H + L \cdot 2H$ with the MLP. */
  parameterCount(): number;
  /** Parameters of the exported prefix, $P \cdot L \cdot 2H$ (the MLP is not exported). */
  exportedParameterCount(): number;
}

let encoderCount = 0;

/**
 * Creates the trainable prefix of prefix tuning (Li & Liang, 2021) for a model of the given sizes.
 * The model stays frozen; the prefix supplies $P$ extra keys and values in every layer, which every
 * query attends to.
 *
 * - Without reparameterisation: one table $T \in \mathbb{R}^{P \times L \cdot 2H}$.
 * - With `prefixProjection`: $T = \tanh(E W_1 + b_1) W_2 + b_2$ with $E \in \mathbb{R}^{P \times H}$,
 *   $W_1 \in \mathbb{R}^{H \times E'}$, $W_2 \in \mathbb{R}^{E' \times L \cdot 2H}$; the MLP is a
 *   training device, discarded by `exportPrefix`.
 *
 * Row $p$ of $T$ is read as `[L, 2 (key, value), heads, d]` (see `prefixKeyValuesFromProjection`).
 *
 * Initialisation, from `createRng(seed)` in this order: the embedding table
 * $\sim \mathcal N(0, \sigma^2)$ with $\sigma$ = `initializerRange`; then each MLP kernel and bias
 * $\sim U(\pm 1/\sqrt{\mathrm{fanIn}})$ (PyTorch's `nn.Linear` default).
 *
 * @param sizes the model's `numLayers`, `numHeads` and `headSize` (e.g. `decoder.config`).
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
  const hiddenSize = checkedSizes.numHeads * checkedSizes.headSize;
  const resolved = resolvePrefixTuningOptions(functionName, options, hiddenSize);
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
  const tableWidth = prefixProjection ? hiddenSize : width;
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
    dense('hidden', hiddenSize, encoderHiddenSize);
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
