import type * as tf from '@tensorflow/tfjs-core';
import type { Initializer } from '../weights/weight-store';
import type { ResolvedTransformerConfig } from './transformer-config';
import type { ModelKind } from './transformer-model';

/** An embedding table looked up with the ids of one input. @internal */
export interface ExtraEmbedding {
  /** The weight's name, e.g. `'embeddings.tokenType'`. */
  readonly table: string;
  /** The input holding its int32 `[B, L]` ids, e.g. `'tokenTypeIds'`. */
  readonly input: string;
  readonly rows: number;
  /** Whether the input must be given; otherwise row 0 is added at every position. */
  readonly required: boolean;
  /** What the ids are, for error messages (`'token type ids'`). */
  readonly what: string;
}

/** The feed-forward sub-layer of every block. @internal */
export type FeedForwardKind =
  /** $W_2\,\mathrm{gelu}(x W_1 + b_1) + b_2$ with the tanh approximation (GPT-2's `gelu_new`). */
  | 'gelu-tanh'
  /** The same with the exact $x\Phi(x)$ (BERT's `gelu`). */
  | 'gelu-exact'
  /** SwiGLU: $W_\mathrm{down}\big(\mathrm{silu}(x W_\mathrm{gate}) \odot x W_\mathrm{up}\big)$ (Llama). */
  | 'swiglu';

/**
 * What distinguishes the block families this package builds: BERT/GPT-2/GLM blocks
 * (LayerNorm, learned positions, GELU, biases, tied output) and Llama blocks (RMSNorm, rotary
 * positions, SwiGLU, no biases, grouped-query attention, optionally untied output).
 *
 * @internal
 */
export interface TransformerArchitecture {
  /** `'layer'`: $\gamma \odot (x-\mu)/\sqrt{\sigma^2+\epsilon} + \beta$; `'rms'`: $\gamma \odot x/\sqrt{\overline{x^2}+\epsilon}$. */
  readonly norm: 'layer' | 'rms';
  /** `'learned'`: a position table added to the embeddings; `'rotary'`: queries and keys rotated per position. */
  readonly positions: 'learned' | 'rotary';
  readonly feedForward: FeedForwardKind;
  /** Whether every linear of the blocks has a bias. */
  readonly linearBias: boolean;
  /** Key/value heads; `numHeads` for plain multi-head attention, fewer for grouped-query attention. */
  readonly numKeyValueHeads: number;
  /** $\theta$ of the rotary frequencies $\theta^{-2i/d}$ (used with `'rotary'`). */
  readonly ropeTheta: number;
  /** Whether the output layer is the token table (else its own `outputHead.weight` `[V, H]`). */
  readonly tiedOutput: boolean;
}

/** A weight to create: its stable name, shape and initialiser. @internal */
export interface WeightDeclaration {
  readonly name: string;
  readonly shape: readonly number[];
  readonly initializer: Initializer;
}

/** A named linear: which declared weights are its kernel `[in, out]` and bias `[out]`. @internal */
export interface LinearDeclaration {
  readonly name: string;
  readonly kernel: string;
  readonly bias?: string;
}

/** What one forward pass hands to a model kind's extra outputs. @internal */
export interface OutputContext {
  /** Runs a named linear (through any wrappers). */
  readonly linear: (name: string, x: tf.Tensor) => tf.Tensor;
  /** Applies the named normalisation (`'<name>.gamma'`, `'<name>.beta'`). */
  readonly norm: (name: string, x: tf.Tensor) => tf.Tensor;
  /** Applies the model's feed-forward activation. */
  readonly activation: (x: tf.Tensor) => tf.Tensor;
  readonly weights: Readonly<Record<string, tf.Variable>>;
}

/** What a model kind adds to the shared Transformer. @internal */
export interface TransformerSpec<Config extends ResolvedTransformerConfig> {
  readonly kind: ModelKind;
  /** The name errors of `apply` use, e.g. `'BertEncoder.apply'`. */
  readonly applyName: string;
  readonly config: Config;
  readonly architecture: TransformerArchitecture;
  /**
   * Embedding tables added to the token and position embeddings, each looked up with the ids of
   * one input (`embeddings.tokenType` with `tokenTypeIds`, `embeddings.blockPosition` with `blockPositionIds`).
   */
  readonly extraEmbeddings: readonly ExtraEmbedding[];
  /** Whether queries may only see keys at or before their own position. */
  readonly causal: boolean;
  /** Whether `positionIds` must be given. */
  readonly requirePositionIds: boolean;
  /** Weights after the blocks (the pooler, BERT's pre-training heads), in creation order. */
  readonly headWeights?: readonly WeightDeclaration[];
  /** Linears among {@link TransformerSpec.headWeights}. */
  readonly headLinears?: readonly LinearDeclaration[];
  /**
   * `'random'` (default): truncated-normal kernels and tables from the seed; `'zeros'`: every
   * weight starts at 0 (unit scales stay 1), for an import that overwrites them all anyway.
   */
  readonly initialization?: 'random' | 'zeros';
  /** Adds fields to the outputs (inside the forward tidy). */
  extendOutputs?(hidden: tf.Tensor3D, context: OutputContext): Record<string, unknown>;
}
