import type * as tf from '@tensorflow/tfjs-core';

/** How many parameters a model has, and where. */
export interface ParameterCounts {
  /** Every parameter. */
  readonly total: number;
  /** Those of variables with `trainable: true` (an adapter freezes the rest). */
  readonly trainable: number;
  /** Those of the embedding tables (token, position, segment, block position). */
  readonly embeddings: number;
  /** Per block `layers.<i>.`. */
  readonly layers: readonly number[];
  /** Everything else: embedding and final LayerNorms, the pooler. */
  readonly other: number;
}

/** Counts the parameters of named variables. @internal */
export function countParameters(
  weights: Readonly<Record<string, tf.Variable>>,
  numLayers: number,
): ParameterCounts {
  let total = 0;
  let trainable = 0;
  let embeddings = 0;
  let other = 0;
  const layers = new Array<number>(numLayers).fill(0);
  for (const [name, variable] of Object.entries(weights)) {
    total += variable.size;
    if (variable.trainable) trainable += variable.size;
    const layer = /^layers\.(\d+)\./.exec(name);
    if (layer) layers[Number(layer[1])]! += variable.size;
    else if (/^embeddings\.[A-Za-z]+$/.test(name)) embeddings += variable.size;
    else other += variable.size;
  }
  return { total, trainable, embeddings, layers, other };
}
