import {
  causalAttentionBias,
  combineAttentionBiases,
  createRng,
  embeddingLookup,
  geluTanh,
  InvalidArgumentError,
  layerNormalization,
  paddingAttentionBias,
  type RandomSource,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkAttentionBias,
  checkAttentionMask,
  checkIds,
  checkPrefixKeyValues,
} from '../internal/check-inputs';
import { checkKnownKeys, checkTensor } from '../internal/validate';
import { dropout } from '../layers/dropout';
import { type LayerKeyValues, multiHeadAttention } from '../layers/multi-head-attention';
import { createLinearRegistry } from '../weights/named-linear';
import { countParameters } from '../weights/parameter-counts';
import { readWeights, writeWeights } from '../weights/weight-map';
import { createWeightStore } from '../weights/weight-store';
import type { ResolvedTransformerConfig } from './transformer-config';
import type {
  CommonInputs,
  ForwardOptions,
  ModelKind,
  TransformerModel,
  TransformerOutputs,
} from './transformer-model';

/** An embedding table looked up with the ids of one input. @internal */
export interface ExtraEmbedding {
  /** The weight's name, e.g. `'embeddings.segment'`. */
  readonly table: string;
  /** The input holding its int32 `[B, L]` ids, e.g. `'segmentIds'`. */
  readonly input: string;
  readonly rows: number;
  /** Whether the input must be given; otherwise row 0 is added at every position. */
  readonly required: boolean;
  /** What the ids are, for error messages (`'segment ids'`). */
  readonly what: string;
}

/** What a model kind adds to the shared Transformer. @internal */
export interface TransformerSpec<Config extends ResolvedTransformerConfig> {
  readonly kind: ModelKind;
  /** The name errors of `apply` use, e.g. `'BertEncoder.apply'`. */
  readonly applyName: string;
  readonly config: Config;
  /**
   * Embedding tables added to the token and position embeddings, each looked up with the ids of
   * one input (`embeddings.segment` with `segmentIds`, `embeddings.blockPosition` with `blockPositionIds`).
   */
  readonly extraEmbeddings: readonly ExtraEmbedding[];
  /** Whether queries may only see keys at or before their own position. */
  readonly causal: boolean;
  /** Whether `positionIds` must be given. */
  readonly requirePositionIds: boolean;
  /** Creates weights after the blocks (the pooler). */
  createHead?(addLinear: (name: string) => void): void;
  /** Adds fields to the outputs (inside the forward tidy). */
  extendOutputs?(
    hidden: tf.Tensor3D,
    linear: (name: string, x: tf.Tensor) => tf.Tensor,
  ): Record<string, tf.Tensor>;
}

const COMMON_INPUT_KEYS = [
  'inputIds',
  'positionIds',
  'attentionMask',
  'attentionBias',
  'prefixKeyValues',
] as const;

/**
 * Builds a Transformer of the given kind: embeddings, `numLayers` blocks of multi-head attention
 * and a GELU feed-forward layer with residual connections and LayerNorm (`'post'` or `'pre'`), and
 * the tied output projection. Variables are created in a fixed order from `createRng(seed)`.
 *
 * @internal
 */
export function buildTransformer<
  Inputs extends CommonInputs,
  Outputs extends TransformerOutputs,
  Config extends ResolvedTransformerConfig,
>(spec: TransformerSpec<Config>): TransformerModel<Inputs, Outputs, Config> {
  const { config, kind, applyName } = spec;
  const {
    vocabularySize,
    hiddenSize,
    numLayers,
    numHeads,
    headSize,
    intermediateSize,
    maxPositions,
    normalization,
    layerNormEpsilon: epsilon,
  } = config;
  const random = createRng(config.seed);
  const initialization = random.fork();
  const dropoutStream = random.fork();
  const store = createWeightStore(
    kind.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
    initialization,
    config.initializerRange,
  );
  const registry = createLinearRegistry(`${applyName.split('.')[0]}.wrapLinear`);
  const addLinear = (name: string, inputSize: number, outputSize: number) => {
    const kernel = store.create(`${name}.kernel`, [inputSize, outputSize], 'truncated-normal');
    const bias = store.create(`${name}.bias`, [outputSize], 'zeros');
    registry.add(name, kernel, bias);
  };
  const addLayerNorm = (name: string) => {
    store.create(`${name}.gamma`, [hiddenSize], 'ones');
    store.create(`${name}.beta`, [hiddenSize], 'zeros');
  };

  const tokenEmbeddings = store.create(
    'embeddings.token',
    [vocabularySize, hiddenSize],
    'truncated-normal',
  );
  store.create('embeddings.position', [maxPositions, hiddenSize], 'truncated-normal');
  for (const extra of spec.extraEmbeddings) {
    store.create(extra.table, [extra.rows, hiddenSize], 'truncated-normal');
  }
  if (normalization === 'post') addLayerNorm('embeddings.layerNorm');
  for (let layer = 0; layer < numLayers; layer++) {
    for (const part of ['query', 'key', 'value', 'output']) {
      addLinear(`layers.${layer}.attention.${part}`, hiddenSize, hiddenSize);
    }
    addLayerNorm(`layers.${layer}.attention.layerNorm`);
    addLinear(`layers.${layer}.feedForward.intermediate`, hiddenSize, intermediateSize);
    addLinear(`layers.${layer}.feedForward.output`, intermediateSize, hiddenSize);
    addLayerNorm(`layers.${layer}.feedForward.layerNorm`);
  }
  if (normalization === 'pre') addLayerNorm('finalLayerNorm');
  spec.createHead?.((name) => addLinear(name, hiddenSize, hiddenSize));

  const weights = store.weights;
  const norm = (name: string, x: tf.Tensor) =>
    layerNormalization(x, weights[`${name}.gamma`]!, weights[`${name}.beta`]!, epsilon);
  const linear = (name: string, x: tf.Tensor) => registry.apply(name, x);
  const embeddingVariables = Object.entries(weights)
    .filter(([name]) => /^embeddings\.[A-Za-z]+$/.test(name))
    .map(([, variable]) => variable);
  let disposed = false;

  const checkInputs = (inputs: Inputs) => {
    const site = (name: string) => ({ functionName: applyName, argumentName: `inputs.${name}` });
    checkKnownKeys({ functionName: applyName, argumentName: 'inputs' }, inputs, [
      ...COMMON_INPUT_KEYS,
      ...spec.extraEmbeddings.map((extra) => extra.input),
    ]);
    const inputIds = checkTensor(
      site('inputIds'),
      inputs.inputIds,
      ['int32'],
      [-1, -1],
      'pass token ids as an int32 tensor shaped [batch, length].',
    );
    const [batchSize, length] = inputIds.shape as [number, number];
    if (batchSize === 0 || length === 0) {
      throw new InvalidArgumentError({
        ...site('inputIds'),
        expected: 'at least one row of at least one token',
        received: inputIds,
        fix: 'pass a non-empty batch.',
      });
    }
    checkIds(site('inputIds'), inputIds, [batchSize, length], vocabularySize, 'token ids');
    if (inputs.positionIds !== undefined || spec.requirePositionIds) {
      checkIds(
        site('positionIds'),
        inputs.positionIds,
        [batchSize, length],
        maxPositions,
        'position ids',
      );
    } else if (length > maxPositions) {
      throw new InvalidArgumentError({
        ...site('inputIds'),
        expected: `sequences of at most config.maxPositions = ${maxPositions} tokens`,
        received: inputIds,
        fix: 'truncate the sequences, or build the model with a larger maxPositions.',
      });
    }
    if (inputs.attentionMask !== undefined) {
      checkAttentionMask(site('attentionMask'), inputs.attentionMask, [batchSize, length]);
    }
    if (inputs.attentionBias !== undefined) {
      checkAttentionBias(site('attentionBias'), inputs.attentionBias, batchSize, length);
    }
    for (const extra of spec.extraEmbeddings) {
      const ids = (inputs as unknown as Record<string, unknown>)[extra.input];
      if (ids !== undefined || extra.required) {
        checkIds(site(extra.input), ids, [batchSize, length], extra.rows, extra.what);
      }
    }
    const prefixLength =
      inputs.prefixKeyValues === undefined
        ? 0
        : checkPrefixKeyValues(site('prefixKeyValues'), inputs.prefixKeyValues, {
            numLayers,
            numHeads,
            headSize,
            batchSize,
          });
    return { batchSize, length, prefixLength };
  };

  /** The combined additive bias `[B|1, 1, L|1, P + L]`, or `null` when every pair may attend. */
  const attentionBias = (inputs: Inputs, length: number, prefixLength: number) => {
    const parts: tf.Tensor[] = [];
    if (spec.causal) parts.push(causalAttentionBias(length));
    if (inputs.attentionMask) parts.push(paddingAttentionBias(inputs.attentionMask));
    if (inputs.attentionBias) parts.push(inputs.attentionBias);
    if (parts.length === 0) return null;
    let bias = parts.length === 1 ? parts[0]! : combineAttentionBiases(...parts);
    if (prefixLength > 0) {
      // Prefix keys are visible to every query: zero-bias columns in front of the sequence's own.
      const [rows, , queries] = bias.shape as [number, number, number, number];
      bias = tf.concat([tf.zeros([rows, 1, queries, prefixLength]), bias], 3);
    }
    return bias;
  };

  const forward = (inputs: Inputs, options: ForwardOptions = {}): Outputs => {
    if (disposed) {
      throw new InvalidArgumentError({
        functionName: applyName,
        argumentName: 'this',
        expected: 'a model whose weights are alive',
        received: 'a disposed model',
        fix: 'create a new model; dispose() frees its variables for good.',
      });
    }
    checkKnownKeys({ functionName: applyName, argumentName: 'options' }, options, [
      'training',
      'random',
      'returnKeyValues',
    ]);
    const { length, prefixLength } = checkInputs(inputs);
    const training = options.training === true;
    const masks: RandomSource | null =
      training && (config.hiddenDropout > 0 || config.attentionDropout > 0)
        ? (options.random ?? dropoutStream)
        : null;
    const drop = (x: tf.Tensor) =>
      masks && config.hiddenDropout > 0 ? dropout(x, config.hiddenDropout, masks) : x;
    const outputs = tf.tidy(() => {
      let sum = embeddingLookup(tokenEmbeddings, inputs.inputIds, { validateIds: false });
      const positions = inputs.positionIds
        ? embeddingLookup(weights['embeddings.position']!, inputs.positionIds, {
            validateIds: false,
          })
        : tf.reshape(
            embeddingLookup(
              weights['embeddings.position']!,
              Int32Array.from({ length }, (_, index) => index),
              {
                validateIds: false,
              },
            ),
            [1, length, hiddenSize],
          );
      sum = tf.add(sum, positions);
      for (const extra of spec.extraEmbeddings) {
        const ids = (inputs as unknown as Record<string, tf.Tensor | undefined>)[extra.input];
        // Omitted ids mean row 0 everywhere (segment A): one row, broadcast over [B, L].
        sum = tf.add(
          sum,
          embeddingLookup(weights[extra.table]!, ids ?? [0], { validateIds: false }),
        );
      }
      let hidden = drop(
        normalization === 'post' ? norm('embeddings.layerNorm', sum) : sum,
      ) as tf.Tensor3D;
      const bias = attentionBias(inputs, length, prefixLength);
      const attentionContext = {
        linear,
        numHeads,
        headSize,
        bias,
        dropoutRate: config.attentionDropout,
        random: masks,
      };
      const keyValues: LayerKeyValues[] = [];
      for (let layer = 0; layer < numLayers; layer++) {
        const block = `layers.${layer}`;
        const attend = (x: tf.Tensor3D) => {
          const result = multiHeadAttention(
            `${block}.attention`,
            x,
            inputs.prefixKeyValues?.[layer],
            attentionContext,
          );
          keyValues.push(result.keyValues);
          return drop(result.output);
        };
        const feedForward = (x: tf.Tensor) =>
          drop(
            linear(
              `${block}.feedForward.output`,
              geluTanh(linear(`${block}.feedForward.intermediate`, x)),
            ),
          );
        if (normalization === 'post') {
          hidden = norm(
            `${block}.attention.layerNorm`,
            tf.add(hidden, attend(hidden)),
          ) as tf.Tensor3D;
          hidden = norm(
            `${block}.feedForward.layerNorm`,
            tf.add(hidden, feedForward(hidden)),
          ) as tf.Tensor3D;
        } else {
          hidden = tf.add(
            hidden,
            attend(norm(`${block}.attention.layerNorm`, hidden) as tf.Tensor3D),
          ) as tf.Tensor3D;
          hidden = tf.add(
            hidden,
            feedForward(norm(`${block}.feedForward.layerNorm`, hidden)),
          ) as tf.Tensor3D;
        }
      }
      if (normalization === 'pre') hidden = norm('finalLayerNorm', hidden) as tf.Tensor3D;
      return {
        hiddenStates: hidden,
        projection: { weight: tokenEmbeddings, layout: 'vocab-by-hidden' as const },
        embeddingTable: tokenEmbeddings,
        ...(options.returnKeyValues ? { keyValues } : {}),
        ...(spec.extendOutputs?.(hidden, linear) ?? {}),
      } as unknown as tf.TensorContainer;
    });
    return outputs as unknown as Outputs;
  };

  const modelName = applyName.split('.')[0]!;
  return {
    kind,
    config,
    weights,
    variables: Object.values(weights),
    embeddingVariables,
    tokenEmbeddings,
    linears: registry.linears,
    apply: forward,
    wrapLinear: (name, wrapper) => registry.wrap(name, wrapper),
    getWeights: () => readWeights(weights),
    setWeights: (map) => writeWeights(`${modelName}.setWeights`, weights, map),
    parameterCounts: () => countParameters(weights, numLayers),
    dispose() {
      disposed = true;
      store.dispose();
    },
  };
}
