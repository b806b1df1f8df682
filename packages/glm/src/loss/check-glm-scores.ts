import { checkTensor, type TokenScores } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { GlmBatch } from '../glm-batch';

/**
 * The model's scores for a batch, checked: float32 logits `[batch, sequence, vocabulary]` (or flat
 * `[batch·sequence, vocabulary]`), or hidden states `[batch, sequence, hidden]` (or flat) beside
 * their projection; `batch` and `sequence` are the batch's own sizes.
 */
export function checkGlmScores(
  functionName: string,
  outputs: TokenScores,
  batch: GlmBatch,
): tf.Tensor {
  const hidden = outputs != null && typeof outputs === 'object' && 'hiddenStates' in outputs;
  const scores: unknown = hidden
    ? (outputs as { hiddenStates: unknown }).hiddenStates
    : (outputs as { logits?: unknown } | null)?.logits;
  const site = { functionName, argumentName: hidden ? 'outputs.hiddenStates' : 'outputs.logits' };
  const last = hidden ? 'hidden' : 'vocabulary';
  const tensor = checkTensor(site, scores, { dtypes: ['float32'], ranks: [3, 2] });
  const { batch: batchSize, sequence } = batch.dimensions as { batch: number; sequence: number };
  return tensor.rank === 3
    ? checkTensor(site, tensor, {
        dtypes: ['float32'],
        shape: ['batch', 'sequence', last],
        dimensions: { batch: batchSize, sequence },
      })
    : checkTensor(site, tensor, { dtypes: ['float32'], shape: [batchSize * sequence, last] });
}
