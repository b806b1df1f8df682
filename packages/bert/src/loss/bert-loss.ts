import { type ObjectiveLossResult, tidyResult } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { BertBatch, BertPartName } from '../bert-batch';
import type { BertModelOutputs } from './bert-model-outputs';
import type { BertHeadWeights } from './create-bert-head-weights';
import { type MaskedLmScoring, maskedLmHead } from './masked-lm-head';
import { nextSentenceHead } from './next-sentence-head';

/** The settings of {@link bertLoss} (from the objective's options). */
export interface BertLossSettings {
  readonly maskedLmScoring: MaskedLmScoring;
  readonly layerNormEpsilon: number;
  /** Use `outputs.pooledOutput` instead of the objective's own pooler. */
  readonly modelPooler: boolean;
  readonly metrics: boolean;
}

/**
 * BERT's pre-training loss on checked inputs, $L = L_{\mathrm{mlm}} + L_{\mathrm{nsp}}$ (unweighted):
 *
 * - masked LM (see `maskedLmHead`): the hidden states at `scoredPositions` ($b \cdot L + t$),
 *   dense + GELU (tanh) + LayerNorm, logits against the tied table plus an output bias,
 *   $L_{\mathrm{mlm}} = \frac{1}{N}\sum_{i=1}^{N} -\log p(m_i)$ over the $N$ predictions (0, not
 *   NaN, when $N = 0$);
 * - next sentence (see `nextSentenceHead`): $\tanh$ pooler on position 0 (or the model's pooled
 *   output), a 2-way layer, $L_{\mathrm{nsp}} = \frac{1}{B}\sum_b -\log p(y_b)$, **label 1 = B is
 *   random**;
 * - parts `maskedLm` and `nextSentence` (each `{ loss, sum, count }`, normalised by
 *   `numItemsInBatch` when given), metrics `maskedLmAccuracy` and `nextSentenceAccuracy`.
 *
 * Every intermediate tensor is freed; the caller owns the result.
 */
export function bertLoss(
  outputs: BertModelOutputs,
  batch: BertBatch,
  weights: BertHeadWeights,
  settings: BertLossSettings,
  numItemsInBatch: Readonly<Record<string, number>> | undefined,
): ObjectiveLossResult<BertPartName> {
  const { fields } = batch;
  return tidyResult(() => {
    const maskedLm = maskedLmHead(
      outputs.hiddenStates,
      outputs.embeddingTable,
      weights.maskedLm,
      {
        scoredPositions: fields.scoredPositions.data,
        scoredLabels: fields.scoredLabels.data,
        labels: fields.labels.data,
      },
      {
        scoring: settings.maskedLmScoring,
        layerNormEpsilon: settings.layerNormEpsilon,
        numItemsInBatch: numItemsInBatch?.['maskedLm'],
        metrics: settings.metrics,
      },
    );
    const nextSentence = nextSentenceHead(
      outputs.hiddenStates,
      settings.modelPooler ? outputs.pooledOutput : undefined,
      weights.nextSentence,
      fields.nextSentenceLabels.data,
      { numItemsInBatch: numItemsInBatch?.['nextSentence'], metrics: settings.metrics },
    );
    const metrics: Record<string, tf.Scalar> = {};
    if (maskedLm.accuracy) metrics['maskedLmAccuracy'] = maskedLm.accuracy;
    if (nextSentence.accuracy) metrics['nextSentenceAccuracy'] = nextSentence.accuracy;
    return {
      loss: tf.add(maskedLm.part.loss, nextSentence.part.loss) as tf.Scalar,
      parts: { maskedLm: maskedLm.part, nextSentence: nextSentence.part },
      metrics,
    };
  });
}
