import type { RandomSource } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerKeyValues } from '../layers/multi-head-attention';
import type { LinearWrapper, NamedLinear } from '../weights/named-linear';
import type { ParameterCounts } from '../weights/parameter-counts';
import type { WeightMap } from '../weights/weight-map';
import type { ResolvedTransformerConfig } from './transformer-config';

/** Which of the package's models it is. */
export type ModelKind = 'bert-encoder' | 'glm-encoder' | 'causal-decoder' | 'llama-decoder';

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Apply dropout (when the config's rates are non-zero). Default `false`. */
  training?: boolean;
  /**
   * Where dropout masks come from. Default: the model's own stream, seeded from `config.seed`, so
   * that the same seed and the same sequence of calls give the same masks.
   */
  random?: RandomSource;
  /** Also return each layer's keys and values (for caching when generating). Default `false`. */
  returnKeyValues?: boolean;
}

/** The inputs every model accepts. Tensors stay the caller's: the model never disposes them. */
export interface CommonInputs {
  /** int32 `[B, L]` token ids in $[0, V)$. */
  inputIds: tf.Tensor;
  /**
   * int32 `[B, L]` positions in $[0, \mathrm{maxPositions})$. Default $0 \ldots L-1$ for every row
   * (the GLM encoder requires them). Prefix keys and values do not shift them.
   */
  positionIds?: tf.Tensor;
  /** `[B, L]` padding mask (int32, float32 or bool): 1 for a real token, 0 for padding (never attended to). */
  attentionMask?: tf.Tensor;
  /**
   * Additive float32 attention bias `[B|1, 1, L|1, L]`: 0 where query $i$ may attend to key $j$,
   * $-10^9$ where it may not (core's `prefixLmAttentionBias`, `causalAttentionBias`, …). Combined
   * with the padding mask (and, in the causal decoder, the causal mask) by taking the minimum.
   */
  attentionBias?: tf.Tensor;
  /**
   * **The prefix hook** (prefix tuning, cached generation): per layer, extra keys and values
   * `[B|1, heads, P, headSize]` prepended to that layer's own. Every query attends to all of them
   * (the masks above cover only the real tokens), so the key length is $P + L$ while the query
   * length and the outputs stay $L$. Gradients flow into them.
   */
  prefixKeyValues?: readonly LayerKeyValues[];
}

/**
 * The output layer a model hands to a loss: its token table, tied. Structurally core's
 * `OutputProjection` (written as a type alias so that outputs can be returned from `tf.tidy`).
 */
export type TiedProjection = {
  /** float32 `[V, H]`: the token embedding table. */
  readonly weight: tf.Tensor;
  readonly layout: 'vocab-by-hidden';
};

/**
 * What every model returns: core's `HiddenStateScores` plus the tied table. A type alias rather
 * than an interface, so that `tf.tidy(() => model.apply(inputs))` type-checks.
 */
export type TransformerOutputs = {
  /** float32 `[B, L, H]`: the last block's output (after the final LayerNorm with `'pre'` normalisation). Caller-owned. */
  readonly hiddenStates: tf.Tensor3D;
  /**
   * The output layer, tied to the input embeddings: `{ weight: tokenEmbeddings, layout: 'vocab-by-hidden' }`,
   * so a loss computes $\mathrm{logits} = h E^\top$ (core's fused `tokenCrossEntropy` never builds them all). Model-owned: never dispose it.
   */
  readonly projection: TiedProjection;
  /** float32 `[V, H]`: the token embedding table (the same variable as `projection.weight`). Model-owned. */
  readonly embeddingTable: tf.Variable;
  /** Per layer, the keys and values attended over (`[B, heads, P + L, headSize]`), with `returnKeyValues`. Caller-owned. */
  readonly keyValues?: LayerKeyValues[];
};

/**
 * A model of this package: variables by stable name, named linears for adapters, a forward pass,
 * save/load and parameter counts.
 *
 * @typeParam Inputs what {@link TransformerModel.apply} takes.
 * @typeParam Outputs what it returns.
 * @typeParam Config the resolved configuration.
 */
export interface TransformerModel<
  Inputs extends CommonInputs = CommonInputs,
  Outputs extends TransformerOutputs = TransformerOutputs,
  Config extends ResolvedTransformerConfig = ResolvedTransformerConfig,
> {
  readonly kind: ModelKind;
  /** The configuration with every default filled in. */
  readonly config: Config;
  /**
   * Every variable by stable name, in creation order: `embeddings.token`, `embeddings.position`,
   * `layers.0.attention.query.kernel`, …, `layers.0.feedForward.output.bias`, `finalLayerNorm.gamma`, ….
   */
  readonly weights: Readonly<Record<string, tf.Variable>>;
  /** The same variables as a list (what an optimiser takes). */
  readonly variables: readonly tf.Variable[];
  /** The embedding tables among {@link TransformerModel.variables} (usually kept out of weight decay). */
  readonly embeddingVariables: readonly tf.Variable[];
  /** float32 `[V, H]`, the token embedding table; also the tied output layer. */
  readonly tokenEmbeddings: tf.Variable;
  /**
   * Every linear by stable name: `layers.<i>.attention.{query,key,value,output}`,
   * `layers.<i>.feedForward.{intermediate,output}` (and `pooler.dense` in a BERT encoder with a
   * pooler). Each is `{ name, kernel, bias, inputSize, outputSize, apply, wrapperCount }`; pass the
   * map to LoRA's `createLoraAdapters(model.linears)`.
   */
  readonly linears: Readonly<Record<string, NamedLinear>>;
  /**
   * The forward pass. Runs inside its own `tf.tidy`: only the returned tensors survive (the caller
   * disposes `hiddenStates`, `pooledOutput` and `keyValues`; never the model's variables).
   */
  apply(inputs: Inputs, options?: ForwardOptions): Outputs;
  /**
   * **The adapter hook:** makes every later forward pass compute the named linear through
   * `wrapper(x, next, layer)`, where `next` is the product it replaces. Wrappers stack (the last
   * installed is outermost). Returns a function that removes this wrapper.
   *
   * @example
   * // LoRA on the query and value projections of every layer
   * const lora = createLoraAdapters(model.linears, { rank: 4 });
   * for (const name of lora.adapters.keys()) model.wrapLinear(name, (x) => lora.linear(name, x));
   */
  wrapLinear(name: string, wrapper: LinearWrapper): () => void;
  /** A copy of every weight as `{ name: { shape, data: Float32Array } }`. */
  getWeights(): WeightMap;
  /**
   * Assigns a complete weight map (from {@link TransformerModel.getWeights} or `decodeWeights`).
   * Checks every name, shape and value before writing any.
   *
   * @throws {InvalidArgumentError} for unknown or missing names and non-finite values.
   * @throws {ShapeMismatchError} for a weight whose shape differs (another configuration).
   */
  setWeights(weights: WeightMap): void;
  /** Parameter counts: total, trainable, embeddings, per layer, and the rest. */
  parameterCounts(): ParameterCounts;
  /** Disposes every variable. The model is unusable afterwards. */
  dispose(): void;
}
