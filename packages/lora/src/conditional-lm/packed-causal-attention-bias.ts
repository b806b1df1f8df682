import { InvalidArgumentError, isTensor, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { packedCausalAttentionBiasValues } from './data/packed-causal-attention-bias-values';

/**
 * The attention bias of packed rows as a tensor for the model: query $i$ may attend to key $j$
 * iff $j \le i \land e_j = e_i \ne 0$ ($e$ = `exampleIds`), a block-diagonal causal mask: an
 * example never sees the examples packed before it, and padding ($e = 0$) sees nothing (its rows
 * are uniform rather than NaN because the bias is large and finite).
 *
 * @param exampleIds a batch's `exampleIds` field, or an int32 `[B, L]` tensor of it (read back
 *   synchronously).
 * @returns float32 `[B, 1, L, L]`: 0 where allowed, `MASKED_ATTENTION_BIAS` elsewhere. Caller-owned.
 * @example
 * const attentionBias = packedCausalAttentionBias(batch.fields.exampleIds);
 */
export function packedCausalAttentionBias(
  exampleIds: tf.Tensor | { readonly shape: readonly number[]; readonly data: Int32Array },
): tf.Tensor4D {
  const functionName = 'packedCausalAttentionBias';
  const fromField =
    !isTensor(exampleIds) &&
    exampleIds != null &&
    (exampleIds as { data?: unknown }).data instanceof Int32Array;
  if (
    (!isTensor(exampleIds) && !fromField) ||
    (isTensor(exampleIds) && (exampleIds.dtype !== 'int32' || exampleIds.isDisposed))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'exampleIds',
      expected: "an int32 [batch, sequence] tensor or a batch's exampleIds field",
      received: exampleIds,
      fix: 'pass batch.fields.exampleIds.',
    });
  }
  const shape = [...exampleIds.shape];
  if (shape.length !== 2) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'exampleIds',
      expected: 'rank 2 [batch, sequence]',
      received: exampleIds,
      receivedDescription: `shape [${shape.join(', ')}]`,
      fix: 'pass one example id per position of each row.',
    });
  }
  const [batchSize, length] = shape as [number, number];
  const ids = isTensor(exampleIds)
    ? (exampleIds.dataSync() as Int32Array)
    : (exampleIds.data as Int32Array);
  const values = packedCausalAttentionBiasValues(ids, batchSize, length);
  return tf.tensor4d(values, [batchSize, 1, length, length], 'float32');
}
