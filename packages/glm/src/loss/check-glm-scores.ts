import { InvalidArgumentError, ShapeMismatchError, type TokenScores } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { GlmBatch } from '../glm-batch';

/**
 * The model's scores for a batch, checked: logits `[batch, sequence, vocabulary]` (or flat
 * `[batch·sequence, vocabulary]`), or hidden states `[batch, sequence, hidden]` (or flat) with
 * their projection, float32 and not disposed.
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
  const argumentName = hidden ? 'outputs.hiddenStates' : 'outputs.logits';
  const { batch: batchSize, sequence } = batch.dimensions as { batch: number; sequence: number };
  const last = hidden ? 'hidden' : 'vocabulary';
  const expected = `a float32 tensor [batch=${batchSize}, sequence=${sequence}, ${last}] (or [${batchSize * sequence}, ${last}]) matching the batch`;
  const tensor = scores as tf.Tensor | undefined;
  if (
    tensor == null ||
    typeof tensor !== 'object' ||
    !Array.isArray(tensor.shape) ||
    tensor.dtype !== 'float32' ||
    tensor.isDisposed
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: `{ logits } or { hiddenStates, projection } with ${expected}`,
      received: scores,
      fix: "pass the model's output for this batch: { logits } or { hiddenStates, projection: { weight, layout } }.",
    });
  }
  const leading = tensor.shape.slice(0, -1);
  const fits =
    (leading.length === 2 && leading[0] === batchSize && leading[1] === sequence) ||
    (leading.length === 1 && leading[0] === batchSize * sequence);
  if (!fits) {
    throw new ShapeMismatchError({
      functionName,
      argumentName,
      expected,
      received: tensor,
      fix: 'run the model on this batch (inputIds [batch, sequence]) and pass its output unchanged.',
    });
  }
  return tensor;
}
