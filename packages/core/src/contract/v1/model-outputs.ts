import type * as tf from '@tensorflow/tfjs-core';

/** Which way round an output projection is stored. */
export type ProjectionLayout =
  /** `[H, V]`: logits $= h W$ (a `tf.layers` dense kernel). */
  | 'hidden-by-vocab'
  /** `[V, H]`: logits $= h W^\top$ (an input embedding table reused as the output layer, "tied"). */
  | 'vocab-by-hidden';

/** A language-model head's weights, handed to a loss instead of its logits. */
export interface OutputProjection {
  /** float32 `[H, V]` or `[V, H]`, as `layout` says. */
  readonly weight: tf.Tensor;
  readonly layout: ProjectionLayout;
  /** Optional float32 `[V]` added to every logit row. */
  readonly bias?: tf.Tensor;
}

/** Scores given as logits `[N, V]` or `[B, L, V]`. */
export interface LogitScores {
  readonly logits: tf.Tensor;
}

/**
 * Scores given as hidden states `[N, H]` or `[B, L, H]` plus the output projection: the loss then
 * computes what it needs without ever materialising all logits at once (the fused path).
 */
export interface HiddenStateScores {
  readonly hiddenStates: tf.Tensor;
  readonly projection: OutputProjection;
}

/** What a model hands to a token loss: logits, or hidden states plus the output projection. */
export type TokenScores = LogitScores | HiddenStateScores;

/** Whether `scores` carries hidden states plus a projection (rather than logits). */
export function isHiddenStateScores(scores: TokenScores): scores is HiddenStateScores {
  return 'hiddenStates' in scores;
}
