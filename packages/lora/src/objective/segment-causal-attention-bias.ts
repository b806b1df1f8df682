import {
  InvalidArgumentError,
  MASKED_ATTENTION_BIAS,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { isTensor } from '../internal/validate';

/**
 * The attention bias of packed rows: query $i$ may attend to key $j$ iff
 * $j \le i \land \mathrm{seg}_j = \mathrm{seg}_i \ne 0$, so that an example never sees the examples
 * packed before it (a block-diagonal causal mask). Padding (segment 0) sees nothing and is seen by
 * nothing; its rows are uniform rather than NaN because the bias is large and finite.
 *
 * @param segmentIds int32 `[B, L]` tensor, or a batch's `segmentIds` field.
 * @returns float32 `[B, 1, L, L]`: 0 where allowed, `MASKED_ATTENTION_BIAS` elsewhere. Caller-owned.
 */
export function segmentCausalAttentionBias(
  segmentIds: tf.Tensor | { readonly shape: readonly number[]; readonly data: Int32Array },
): tf.Tensor4D {
  const functionName = 'segmentCausalAttentionBias';
  const fromField =
    !isTensor(segmentIds) &&
    segmentIds != null &&
    (segmentIds as { data?: unknown }).data instanceof Int32Array;
  const shape = isTensor(segmentIds) || fromField ? [...segmentIds.shape] : [];
  if (
    (!isTensor(segmentIds) && !fromField) ||
    (isTensor(segmentIds) && (segmentIds.dtype !== 'int32' || segmentIds.isDisposed))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'segmentIds',
      expected: "an int32 [B, L] tensor or a batch's segmentIds field",
      received: segmentIds,
      fix: 'pass batch.fields.segmentIds.',
    });
  }
  if (shape.length !== 2) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'segmentIds',
      expected: 'rank 2 [B, L]',
      received: segmentIds,
      receivedDescription: `shape [${shape.join(', ')}]`,
      fix: 'pass one segment id per position of each row.',
    });
  }
  const [batchSize, length] = shape as [number, number];
  return tf.tidy(() => {
    const segments = isTensor(segmentIds)
      ? segmentIds
      : tf.tensor2d(segmentIds.data, [batchSize, length], 'int32');
    const queries = tf.reshape(segments, [batchSize, length, 1]);
    const keys = tf.reshape(segments, [batchSize, 1, length]);
    const positions = tf.range(0, length, 1, 'int32');
    const causal = tf.lessEqual(
      tf.reshape(positions, [1, 1, length]),
      tf.reshape(positions, [1, length, 1]),
    );
    const allowed = tf.logicalAnd(
      tf.logicalAnd(tf.equal(queries, keys), tf.notEqual(keys, tf.scalar(0, 'int32'))),
      causal,
    );
    // where() rather than (1 − allowed)·M, which would give −0 at allowed pairs.
    const bias = tf.where(
      allowed,
      tf.zeros(allowed.shape),
      tf.fill(allowed.shape, MASKED_ATTENTION_BIAS),
    );
    return tf.reshape(bias, [batchSize, 1, length, length]) as tf.Tensor4D;
  });
}
