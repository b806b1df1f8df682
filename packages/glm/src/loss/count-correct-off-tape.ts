import type { OutputProjection } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** Rows scored at once when the accuracy needs logits projected from hidden states. */
const ACCURACY_CHUNK_ROWS = 256;

/**
 * How many rows have their label as the arg-max score,
 * $\sum_s [\arg\max_v z_{s,v} = y_s]$, as a float32 scalar.
 *
 * `rows` are logits `[S, V]`, or hidden states `[S, H]` when `projection` is given (then the logits
 * are projected `ACCURACY_CHUNK_ROWS` rows at a time, so the `[S, V]` logits never exist). The work
 * runs inside a `tf.customGrad` whose gradient is zero: ops inside a custom gradient's forward
 * function are not recorded on the gradient tape, so a metric computed during `tf.grad` keeps no
 * logits alive until the backward pass (which a plain `argMax` on the tape would).
 */
export function countCorrectOffTape(
  rows: tf.Tensor2D,
  labels: Int32Array,
  projection: OutputProjection | undefined,
): tf.Scalar {
  if (labels.length === 0) return tf.scalar(0);
  const inputs: tf.Tensor[] = [rows];
  if (projection) {
    inputs.push(projection.weight);
    if (projection.bias) inputs.push(projection.bias);
  }
  const count = tf.customGrad((..._args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const value = tf.tidy(() => {
      const kernel =
        projection === undefined
          ? undefined
          : projection.layout === 'vocab-by-hidden'
            ? tf.transpose(projection.weight)
            : projection.weight;
      let correct: tf.Scalar = tf.scalar(0);
      for (let start = 0; start < labels.length; start += ACCURACY_CHUNK_ROWS) {
        const size = Math.min(ACCURACY_CHUNK_ROWS, labels.length - start);
        const hits = tf.tidy(() => {
          const chunk = tf.slice(rows, [start, 0], [size, rows.shape[1]]);
          let scores = kernel ? tf.matMul(chunk, kernel) : chunk;
          if (kernel && projection?.bias) scores = tf.add(scores, projection.bias);
          const predictions = tf.argMax(scores, 1);
          const expected = tf.tensor1d(labels.subarray(start, start + size), 'int32');
          return tf.sum(tf.cast(tf.equal(predictions, expected), 'float32')) as tf.Scalar;
        });
        const total = tf.add(correct, hits) as tf.Scalar;
        tf.dispose([correct, hits]);
        correct = total;
      }
      return correct;
    });
    return { value, gradFunc: () => inputs.map((input) => tf.zerosLike(input)) };
  });
  return count(...inputs) as tf.Scalar;
}
