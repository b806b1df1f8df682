import {
  gatherFlatRows,
  InvalidArgumentError,
  isHiddenStateScores,
  type ObjectiveLossResult,
  type TokenLoss,
  type TokenScores,
  tidyResult,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { GlmBatch } from '../glm-batch';
import type { ResolvedGlmLossOptions } from '../glm-options';
import { GLM_MODES, type GlmMode } from '../glm-sample';
import { checkGlmScores } from './check-glm-scores';
import { countCorrectOffTape } from './count-correct-off-tape';
import { glmPartNormaliser } from './glm-part-normaliser';

/** What {@link glmBlankInfillingLoss} reads. */
export interface GlmLossInput {
  readonly outputs: TokenScores;
  readonly batch: GlmBatch;
  readonly numItemsInBatch?: unknown;
}

/** Throws unless the batch's scored fields agree with its counts: $S = \sum_m \mathrm{counts}_m$. */
function scoredSize(functionName: string, batch: GlmBatch): number {
  const fields = batch?.fields;
  const scored = fields?.scoredPositions?.data?.length;
  const counted = GLM_MODES.reduce((sum, mode) => sum + (batch?.counts?.[mode] ?? Number.NaN), 0);
  if (
    scored === undefined ||
    scored !== counted ||
    fields.scoredLabels?.data?.length !== scored ||
    fields.scoredParts?.data?.length !== scored
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'batch',
      expected: `a GlmBatch whose scoredPositions, scoredLabels and scoredParts hold the ${counted} tokens its counts add up to`,
      received: batch,
      fix: 'pass the batch made by createBatch (or createGlmBatch) unchanged.',
    });
  }
  return scored;
}

/** $\sum_b$ of a per-row field. */
function rowTotal(values: Int32Array): number {
  let total = 0;
  for (let row = 0; row < values.length; row++) total += values[row]!;
  return total;
}

/**
 * GLM's loss, the aligned cross-entropy (no shift: `logits[t]` is scored against `targets[t]`)
 * over Part B,
 * $$L = \frac{\sum_t \mathrm{ce}_t \cdot \mathrm{lossMask}_t}{N}, \quad N = \sum_m N_m,$$
 * where $N_m$ is `numItemsInBatch[m]` or this batch's `counts[m]` ({@link glmPartNormaliser}).
 * Part $m \in$ {`span`, `sentence`, `document`} reports $\mathrm{sum}_m = \sum_{t \in m} \mathrm{ce}_t$,
 * $\mathrm{count}_m$ and its share $\mathrm{loss}_m = \mathrm{sum}_m / N$, so that
 * $L = \sum_m \mathrm{loss}_m$ is one token-weighted mean and $\mathrm{sum}_m / \mathrm{count}_m$
 * that mode's mean; an absent mode reports zeros.
 *
 * The batch's `scoredPositions` are gathered once (`[S, ·]` rows out of `[B·L, ·]`), and part $m$
 * is the contiguous range of its `counts[m]` rows; hidden states plus the projection go through
 * core's fused `tokenCrossEntropy`, so the `[B·L, V]` logits are never built. Metrics: `accuracy`
 * (arg-max on Part B, off the gradient tape), `blankRatio` ($\sum$ blanked / $\sum n$, the achieved
 * mask ratio), `spanCount` (blanks in the batch).
 */
export function glmBlankInfillingLoss(
  functionName: string,
  input: GlmLossInput,
  options: ResolvedGlmLossOptions,
): ObjectiveLossResult<GlmMode> {
  const { outputs, batch } = input;
  const scores = checkGlmScores(functionName, outputs, batch);
  const scored = scoredSize(functionName, batch);
  const normaliser = glmPartNormaliser(functionName, input.numItemsInBatch, batch.counts);
  const projection = isHiddenStateScores(outputs) ? outputs.projection : undefined;
  const { scoredPositions, scoredLabels, textLengths, blankedCounts, spanCounts } = batch.fields;
  const totalText = rowTotal(textLengths.data);
  return tidyResult((): ObjectiveLossResult<GlmMode> => {
    const last = scores.shape[scores.rank - 1]!;
    const rows =
      scored === 0
        ? (tf.zeros([0, last]) as tf.Tensor2D)
        : gatherFlatRows(scores, scoredPositions.data);
    const parts = {} as Record<GlmMode, TokenLoss>;
    let offset = 0;
    for (const mode of GLM_MODES) {
      const count = batch.counts[mode];
      if (count === 0) {
        parts[mode] = { loss: tf.scalar(0), sum: tf.scalar(0), count: tf.scalar(0) };
        continue;
      }
      const picked = tf.slice(rows, [offset, 0], [count, last]);
      const pickedScores: TokenScores = projection
        ? { hiddenStates: picked, projection }
        : { logits: picked };
      parts[mode] = tokenCrossEntropy(
        pickedScores,
        scoredLabels.data.subarray(offset, offset + count),
        {
          numItemsInBatch: normaliser,
          labelSmoothing: options.labelSmoothing,
          zLoss: options.zLoss,
        },
      );
      offset += count;
    }
    // Pairwise adds: tf.addN's gradient fails here in tfjs 4.22 (its backward reads a null dy).
    const loss = GLM_MODES.slice(1).reduce<tf.Scalar>(
      (sum, mode) => tf.add(sum, parts[mode].loss),
      parts[GLM_MODES[0]!].loss,
    );
    const correct = countCorrectOffTape(rows, scoredLabels.data, projection);
    return {
      loss,
      parts,
      metrics: {
        accuracy: tf.div(correct, Math.max(scored, 1)) as tf.Scalar,
        blankRatio: tf.scalar(totalText > 0 ? rowTotal(blankedCounts.data) / totalText : 0),
        spanCount: tf.scalar(rowTotal(spanCounts.data)),
      },
    };
  });
}
