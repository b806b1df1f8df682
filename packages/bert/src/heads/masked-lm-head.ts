import {
  gatherPositions,
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
  /** Gather the hidden states at the masked positions first: $B \cdot P$ rows (default). */
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
  /** `[B, P]` positions, `[B, P]` ids and `[B, P]` weights (0 = padded slot). */
  readonly maskedPositions: Int32Array;
  readonly maskedIds: Int32Array;
  readonly maskedWeights: Float32Array;
  /** `[B, L]` dense labels (−100 except selected positions), for `'all-positions'`. */
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
 * The flat indices $b \cdot L + p$ of the slots that carry weight, their labels and weights. With no
 * such slot, one dummy slot (position 0, ignored label, weight 0) keeps the graph connected, so the
 * loss is 0 with zero gradients rather than a missing gradient or NaN.
 */
function realSlots(targets: MaskedLmTargets, length: number, perRow: number) {
  const { maskedPositions, maskedIds, maskedWeights } = targets;
  let count = 0;
  for (const weight of maskedWeights) if (weight > 0) count++;
  const size = Math.max(count, 1);
  const flatPositions = new Int32Array(size);
  const labels = new Int32Array(size).fill(IGNORE_INDEX);
  const weights = new Float32Array(size);
  let allOnes = true;
  let next = 0;
  maskedWeights.forEach((weight, slot) => {
    if (!(weight > 0)) return;
    flatPositions[next] = Math.floor(slot / perRow) * length + maskedPositions[slot]!;
    labels[next] = maskedIds[slot]!;
    weights[next] = weight;
    if (weight !== 1) allOnes = false;
    next++;
  });
  return {
    flatPositions,
    labels,
    weights: allOnes && count > 0 ? undefined : weights,
    count: size,
  };
}

/** Rows `[N, H]` of `states` `[B·L, H]` at flat indices, through core's wasm-safe gather. */
function gatherFlat(states: tf.Tensor, flatPositions: Int32Array, hiddenSize: number): tf.Tensor {
  return tf.tidy(() => {
    const positions = tf.tensor2d(flatPositions, [1, flatPositions.length], 'int32');
    const table = tf.reshape(states, [1, states.shape[0]!, hiddenSize]);
    return tf.reshape(gatherPositions(table, positions), [flatPositions.length, hiddenSize]);
  });
}

/**
 * The masked-LM part: transform, then logits against the tied embedding table plus the output
 * bias, scored by core's `tokenCrossEntropy` from hidden states and the projection (the fused
 * path, which never needs the caller to build logits):
 * $\mathrm{sum} = \sum_i w_i\,(-\log p(m_i))$, $\mathrm{count} = \sum_i w_i$, $\mathrm{loss} = \mathrm{sum}/\mathrm{count}$ (0 when nothing is masked).
 *
 * With `'gather-first'` only the weighted slots are gathered and transformed ($\sum$ counts rows
 * instead of $B \cdot L$); with `'all-positions'` every position is transformed and scored
 * against the dense labels. Call inside a `tf.tidy`.
 */
export function maskedLmHead(
  hiddenStates: tf.Tensor,
  embeddingTable: tf.Tensor,
  weights: MaskedLmHeadWeights,
  targets: MaskedLmTargets,
  settings: MaskedLmHeadSettings,
): { part: TokenLoss; accuracy: tf.Scalar | undefined } {
  const [batchSize, length, hiddenSize] = hiddenStates.shape as [number, number, number];
  const perRow = targets.maskedPositions.length / Math.max(batchSize, 1);
  const slots = realSlots(targets, length, perRow);
  const flatHidden = tf.reshape(hiddenStates, [batchSize * length, hiddenSize]);
  // The tied table as it is stored, [V, H]: the fused loss transposes it once, explicitly.
  const projection = {
    weight: embeddingTable,
    layout: 'vocab-by-hidden' as const,
    bias: weights.outputBias,
  };
  const lossOptions = { numItemsInBatch: settings.numItemsInBatch };
  let part: TokenLoss;
  let maskedRows: tf.Tensor;
  if (settings.scoring === 'gather-first') {
    maskedRows = maskedLmTransform(
      gatherFlat(flatHidden, slots.flatPositions, hiddenSize),
      weights,
      settings.layerNormEpsilon,
    );
    part = tokenCrossEntropy({ hiddenStates: maskedRows, projection }, slots.labels, {
      ...lossOptions,
      weights: slots.weights,
    });
  } else {
    const transformed = maskedLmTransform(flatHidden, weights, settings.layerNormEpsilon);
    part = tokenCrossEntropy(
      { hiddenStates: transformed, projection },
      targets.labels,
      lossOptions,
    );
    maskedRows = settings.metrics
      ? gatherFlat(transformed, slots.flatPositions, hiddenSize)
      : transformed;
  }
  const accuracy = settings.metrics
    ? maskedLmAccuracy(maskedRows, embeddingTable, weights.outputBias, slots.labels)
    : undefined;
  return { part, accuracy };
}

/**
 * Arg-max accuracy of the masked rows `[N, H]` against the tied table `[V, H]`. The logits are
 * computed transposed, $E\,h^	op + b$ (`[V, N]`), so that neither the `[V, H]` table is copied
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
