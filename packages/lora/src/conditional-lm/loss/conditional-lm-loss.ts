import {
  checkTensor,
  type DimensionSizes,
  gatherFlatRows,
  isHiddenStateScores,
  type ObjectiveLossResult,
  type TokenScores,
  tidyResult,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionalLmBatch, ConditionalLmPartName } from '../conditional-lm-batch';
import type { ResolvedConditionalLmLossOptions } from '../conditional-lm-options';

/** What {@link conditionalLmLoss} needs besides the outputs and the batch. */
export interface ConditionalLmLossSettings extends ResolvedConditionalLmLossOptions {
  /** The accumulation window's total of scored tokens, instead of this batch's. */
  readonly numItemsInBatch: number | undefined;
}

/** The result for a batch whose examples were all dropped: constants, never NaN, not on the tape. */
function emptyBatchLoss(dropped: number): ObjectiveLossResult<ConditionalLmPartName> {
  // Zero-size tensors are avoided altogether: some backends return garbage for reductions over them.
  const loss = tf.scalar(0);
  return {
    loss,
    parts: { conditionalLm: { loss, sum: tf.scalar(0), count: tf.scalar(0) } },
    metrics: { scoredTokens: tf.scalar(0), droppedExamples: tf.scalar(dropped) },
  };
}

/** Checks that the model's rows are `[batch, sequence, …]` of this batch, so flat positions index them. */
function checkOutputRows(outputs: TokenScores, batch: ConditionalLmBatch, functionName: string) {
  const dimensions: DimensionSizes = {
    batch: batch.size,
    sequence: batch.dimensions['sequence']!,
  };
  const [argumentName, value, last] = isHiddenStateScores(outputs)
    ? ['outputs.hiddenStates', outputs.hiddenStates, 'hidden']
    : ['outputs.logits', outputs.logits, 'vocabulary'];
  return checkTensor({ functionName, argumentName }, value, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence', last],
    dimensions,
  });
}

/**
 * The tensor side of the conditional objective: the next-token loss over the scored positions
 * only,
 * $$\mathcal L = \frac{1}{N}\sum_{i=1}^{N} -\log \mathrm{softmax}(z_{p_i})_{y_i}, \qquad N = \texttt{numItemsInBatch} \text{ or the batch's count},$$
 * where $p_i$ = `scoredPositions[i]` (the flat position $b \cdot L + t$ whose output predicts
 * the token, after the causal shift the data side already did) and $y_i$ = `scoredLabels[i]`.
 * The rows $z_{p_i}$ are gathered once with core's `gatherFlatRows` (logits `[scored, V]`, or
 * hidden states `[scored, H]` through the fused projection, so the full `[B, L, V]` logits are
 * never built here), then scored by core's `tokenCrossEntropy` (label smoothing and z-loss as
 * given). Part `conditionalLm` with `sum` and `count`; metrics `scoredTokens`, `droppedExamples`
 * and, with logits, `accuracy`.
 *
 * A batch whose examples were all dropped gives a constant 0 (never NaN), not connected to the
 * model: skip the optimiser step for it.
 */
export function conditionalLmLoss(
  outputs: TokenScores,
  batch: ConditionalLmBatch,
  settings: ConditionalLmLossSettings,
  functionName: string,
): ObjectiveLossResult<ConditionalLmPartName> {
  if (batch.size === 0) return emptyBatchLoss(batch.dropped);
  const rows = checkOutputRows(outputs, batch, functionName);
  const positions = batch.fields.scoredPositions.data;
  const labels = batch.fields.scoredLabels.data;
  const { labelSmoothing, zLoss, numItemsInBatch } = settings;
  const lossOptions = {
    labelSmoothing,
    zLoss,
    ...(numItemsInBatch === undefined ? {} : { numItemsInBatch }),
  };
  return tidyResult(() => {
    const scoredRows = gatherFlatRows(rows, positions);
    const scores: TokenScores = isHiddenStateScores(outputs)
      ? { hiddenStates: scoredRows, projection: outputs.projection }
      : { logits: scoredRows };
    const conditionalLm = tokenCrossEntropy(scores, labels, lossOptions);
    const metrics: Record<string, tf.Scalar> = {
      scoredTokens: tf.clone(conditionalLm.count),
      droppedExamples: tf.scalar(batch.dropped),
    };
    if (!isHiddenStateScores(outputs)) {
      metrics['accuracy'] = tokenAccuracy(scoredRows, labels).accuracy;
    }
    return { loss: conditionalLm.loss, parts: { conditionalLm }, metrics };
  });
}
