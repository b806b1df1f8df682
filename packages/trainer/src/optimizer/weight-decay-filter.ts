import type * as tf from '@tensorflow/tfjs-core';

/** What a weight-decay filter knows about a variable. */
export interface WeightDecayCandidate {
  readonly variable: tf.Variable;
  /** Whether the model listed it among its embeddings (or its name contains `embed`). */
  readonly isEmbedding: boolean;
}

/** Decides whether a variable gets weight decay. */
export type WeightDecayFilter = (candidate: WeightDecayCandidate) => boolean;

/**
 * The default rule: decay matrices and higher-rank kernels only. Biases and normalisation gains
 * and offsets are rank 1 and excluded, as are embedding tables and anything named like a norm
 * (common practice since BERT and GPT-2: decaying them hurts and buys no regularisation).
 */
export const defaultWeightDecayFilter: WeightDecayFilter = ({ variable, isEmbedding }) =>
  variable.rank >= 2 && !isEmbedding && !/norm/i.test(variable.name);
