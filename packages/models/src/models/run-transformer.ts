import { layerNormalization, type RandomSource } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../layers/dropout';
import { feedForwardActivation } from '../layers/feed-forward';
import type { LayerKeyValues } from '../layers/multi-head-attention';
import { rmsNormalization } from '../layers/rms-normalization';
import { rotaryTables } from '../layers/rotary-positions';
import type { ForwardSizes } from './check-forward-inputs';
import { combinedAttentionBias } from './combined-attention-bias';
import { embedInputs } from './embed-inputs';
import { transformerBlock } from './transformer-block';
import type { ResolvedTransformerConfig } from './transformer-config';
import type { CommonInputs, ForwardOptions } from './transformer-model';
import type { OutputContext, TransformerSpec } from './transformer-spec';

/** A built model's parts that a forward pass reads. @internal */
export interface TransformerRuntime<Config extends ResolvedTransformerConfig> {
  readonly spec: TransformerSpec<Config>;
  readonly weights: Readonly<Record<string, tf.Variable>>;
  /** Runs a named linear through its wrappers. */
  readonly linear: (name: string, x: tf.Tensor) => tf.Tensor;
  /** The model's own dropout stream (seeded from `config.seed`). */
  readonly dropoutStream: RandomSource;
}

/**
 * Normalisation by weight name: LayerNorm $\gamma \odot (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta$
 * or RMSNorm $\gamma \odot x / \sqrt{\overline{x^2} + \epsilon}$, reading `<name>.gamma` (and `.beta`).
 * @internal
 */
export function normalizeByName<Config extends ResolvedTransformerConfig>(
  runtime: TransformerRuntime<Config>,
  name: string,
  x: tf.Tensor,
): tf.Tensor {
  const { weights, spec } = runtime;
  const epsilon = spec.config.layerNormEpsilon;
  return spec.architecture.norm === 'rms'
    ? rmsNormalization(x, weights[`${name}.gamma`]!, epsilon)
    : layerNormalization(x, weights[`${name}.gamma`]!, weights[`${name}.beta`]!, epsilon);
}

/**
 * The forward pass after the inputs were checked: embeddings (normalised first with post-LN),
 * the blocks, the final normalisation (pre-LN) and the output projection — the token table when
 * tied, else `outputHead.weight` — as core's `HiddenStateScores`, plus the kind's extra outputs.
 *
 * @returns the outputs; call inside a tidy.
 * @internal
 */
export function runTransformer<Config extends ResolvedTransformerConfig>(
  runtime: TransformerRuntime<Config>,
  inputs: CommonInputs,
  sizes: ForwardSizes,
  options: ForwardOptions,
): Record<string, unknown> {
  const { spec, weights, linear } = runtime;
  const { config, architecture } = spec;
  const masks: RandomSource | null =
    options.training === true && (config.hiddenDropout > 0 || config.attentionDropout > 0)
      ? (options.random ?? runtime.dropoutStream)
      : null;
  const drop = (x: tf.Tensor) =>
    masks && config.hiddenDropout > 0 ? dropout(x, config.hiddenDropout, masks) : x;
  const norm = (name: string, x: tf.Tensor) => normalizeByName(runtime, name, x);
  const normName = architecture.norm === 'rms' ? 'rmsNorm' : 'layerNorm';
  const embedded = embedInputs(spec, weights, inputs, sizes.length);
  let hidden = drop(
    config.normalization === 'post' ? norm(`embeddings.${normName}`, embedded) : embedded,
  ) as tf.Tensor3D;
  const rotary =
    architecture.positions === 'rotary'
      ? rotaryTables(
          sizes.positionRows ?? Array.from({ length: sizes.length }, (_, index) => index),
          config.headSize,
          architecture.ropeTheta,
        )
      : null;
  const context = {
    attention: {
      linear,
      numHeads: config.numHeads,
      numKeyValueHeads: architecture.numKeyValueHeads,
      headSize: config.headSize,
      bias: combinedAttentionBias(inputs, spec.causal, sizes.length, sizes.prefixLength),
      dropoutRate: config.attentionDropout,
      random: masks,
      rotary,
    },
    feedForward: architecture.feedForward,
    normalization: config.normalization,
    normName,
    norm,
    drop,
  };
  const keyValues: LayerKeyValues[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    const result = transformerBlock(layer, hidden, inputs.prefixKeyValues?.[layer], context);
    hidden = result.hidden;
    keyValues.push(result.keyValues);
  }
  if (config.normalization === 'pre') {
    hidden = norm(
      architecture.norm === 'rms' ? 'finalRmsNorm' : 'finalLayerNorm',
      hidden,
    ) as tf.Tensor3D;
  }
  const tokenTable = weights['embeddings.token']!;
  const outputContext: OutputContext = {
    linear,
    norm,
    activation: feedForwardActivation(architecture.feedForward),
    weights,
  };
  return {
    hiddenStates: hidden,
    projection: {
      weight: architecture.tiedOutput ? tokenTable : weights['outputHead.weight']!,
      layout: 'vocab-by-hidden' as const,
    },
    embeddingTable: tokenTable,
    ...(options.returnKeyValues ? { keyValues } : {}),
    ...(spec.extendOutputs?.(hidden, outputContext) ?? {}),
  };
}
