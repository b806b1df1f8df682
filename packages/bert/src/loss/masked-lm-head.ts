import {
  gatherFlatRows,
  geluTanh,
  IGNORE_INDEX,
  layerNormalization,
  linear,
  type TokenLoss,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { MaskedLmHeadWeights } from './create-bert-head-weights';

/** Which positions the masked-LM head scores. */
export type MaskedLmScoring =
  /** Gather the hidden states at the scored positions first: one row per prediction (default). */
  | 'gather-first'
  /** Transform and score every position against the dense `labels`: $B \cdot L$ rows (for comparison). */
  | 'all-positions';

/** The masked-LM transform: $\mathrm{LayerNorm}(\mathrm{gelu}(x W + b))$, for rows `[N, H]`. */
export function maskedLmTransform(
  rows: tf.Tensor,
  weights: MaskedLmHeadWeights,
  layerNormEpsilon: number,
): tf.Tensor {
  return tf.tidy(() =>
    layerNormalization(
      geluTanh(linear(rows, weights.transformKernel, weights.transformBias)),
      weights.layerNormGamma,
      weights.layerNormBeta,
      layerNormEpsilon,
    ),
  );
}

/** The masked-LM batch arrays the head reads. */
export interface MaskedLmTargets {
  /** `[scored]`: flat positions $b \cdot L + t$ of the predictions (from the data side). */
  readonly scoredPositions: Int32Array;
  /** `[scored]`: the id each of them predicts. */
  readonly scoredLabels: Int32Array;
  /** `[B, L]` dense labels (−100 except selected positions), read only by `'all-positions'`. */
  readonly labels: Int32Array;
}

/** Settings of {@link maskedLmHead}. */
export interface MaskedLmHeadSettings {
  readonly scoring: MaskedLmScoring;
  readonly layerNormEpsilon: number;
  readonly numItemsInBatch: number | undefined;
  readonly metrics: boolean;
}

/**
 * The rows to gather and their labels. With no prediction in the batch, one dummy row (position 0,
 * label −100) keeps the graph connected, so the loss is 0 with zero gradients rather than a
 * missing gradient or NaN.
 */
function scoredRows(targets: MaskedLmTargets): { positions: Int32Array; labels: Int32Array } {
  if (targets.scoredPositions.length > 0) {
    return { positions: targets.scoredPositions, labels: targets.scoredLabels };
  }
  return { positions: new Int32Array(1), labels: Int32Array.of(IGNORE_INDEX) };
}

/**
 * The masked-LM part: transform, then logits against the tied embedding table $E$ plus the output
 * bias, $z_i = t_i E^\top + b$, scored by core's `tokenCrossEntropy` from hidden states and the
 * projection (the fused path, which never builds the `[N, V]` logits):
 * $\mathrm{sum} = \sum_i -\log \mathrm{softmax}(z_i)[m_i]$, $\mathrm{count}$ = the number of
 * predictions, $\mathrm{loss} = \mathrm{sum}/\mathrm{count}$ (0 when nothing is masked).
 *
 * With `'gather-first'` only the rows at `scoredPositions` are gathered (core's flat row gather)
 * and transformed; with `'all-positions'` every position is transformed and scored against the
 * dense labels. Call inside a `tf.tidy`.
 */
export function maskedLmHead(
  hiddenStates: tf.Tensor,
  embeddingTable: tf.Tensor,
  weights: MaskedLmHeadWeights,
  targets: MaskedLmTargets,
  settings: MaskedLmHeadSettings,
): { part: TokenLoss; accuracy: tf.Scalar | undefined } {
  const rows = scoredRows(targets);
  // The tied table as it is stored, [V, H]: the fused loss transposes it once, explicitly.
  const projection = {
    weight: embeddingTable,
    layout: 'vocab-by-hidden' as const,
    bias: weights.outputBias,
  };
  const lossOptions = { numItemsInBatch: settings.numItemsInBatch };
  let part: TokenLoss;
  let scored: tf.Tensor;
  if (settings.scoring === 'gather-first') {
    const gathered = gatherFlatRows(hiddenStates, rows.positions);
    scored = maskedLmTransform(gathered, weights, settings.layerNormEpsilon);
    part = tokenCrossEntropy({ hiddenStates: scored, projection }, rows.labels, lossOptions);
  } else {
    const hiddenSize = hiddenStates.shape[2]!;
    const flat = tf.reshape(hiddenStates, [-1, hiddenSize]);
    const transformed = maskedLmTransform(flat, weights, settings.layerNormEpsilon);
    part = tokenCrossEntropy(
      { hiddenStates: transformed, projection },
      targets.labels,
      lossOptions,
    );
    scored = settings.metrics ? gatherFlatRows(transformed, rows.positions) : transformed;
  }
  const accuracy = settings.metrics
    ? maskedLmAccuracy(scored, embeddingTable, weights.outputBias, rows.labels)
    : undefined;
  return { part, accuracy };
}

/**
 * Arg-max accuracy of the scored rows `[N, H]` against the tied table `[V, H]`. The logits are
 * computed transposed, $E\,t^\top + b$ (`[V, N]`), so that neither the `[V, H]` table is copied
 * transposed nor a transposed-flag product runs (both slow on wasm); only the small rows are
 * transposed. Not differentiated: a gradient tape skips it, as it does not lead to the loss.
 */
function maskedLmAccuracy(
  rows: tf.Tensor,
  embeddingTable: tf.Tensor,
  outputBias: tf.Tensor,
  labels: Int32Array,
): tf.Scalar {
  return tf.tidy(() => {
    const vocabularySize = embeddingTable.shape[0]!;
    const transposedLogits = tf.add(
      tf.matMul(embeddingTable as tf.Tensor2D, tf.transpose(rows) as tf.Tensor2D),
      tf.reshape(outputBias, [vocabularySize, 1]),
    );
    const predictions = tf.argMax(transposedLogits, 0);
    const targets = tf.tensor1d(labels, 'int32');
    const counted = tf.notEqual(targets, tf.scalar(IGNORE_INDEX, 'int32'));
    const correct = tf.sum(
      tf.cast(tf.logicalAnd(counted, tf.equal(predictions, targets)), 'float32'),
    );
    return tf.div(correct, tf.maximum(tf.sum(tf.cast(counted, 'float32')), 1)) as tf.Scalar;
  });
}
