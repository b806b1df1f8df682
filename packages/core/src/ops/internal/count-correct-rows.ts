import * as tf from '@tensorflow/tfjs-core';
import type { OutputProjection } from '../../contract/v1/model-outputs';

/** What {@link countCorrectRows} scores. */
export interface CorrectRowsInput {
  /** `[N, H]` hidden states. */
  readonly rows: tf.Tensor2D;
  readonly projection: OutputProjection;
  /** `[N]` int32: the label of each row (any class where the row is not counted). */
  readonly safeLabels: tf.Tensor1D;
  /** `[N]` float32: 1 where the row counts, 0 elsewhere. */
  readonly countedWeights: tf.Tensor1D;
  readonly chunkSize: number;
}

/**
 * The arg-max predictions of one chunk of rows `[n, H]`: $\arg\max_v (h W + b)_v$. A tied `[V, H]`
 * table is used as it is stored, $E h^\top + b$ (`[V, n]`, arg-max over the first axis), so that
 * neither a transposed copy of the table is made nor a transposed-flag product runs (both slow on
 * wasm); only the chunk is transposed.
 */
function chunkPredictions(chunk: tf.Tensor2D, projection: OutputProjection): tf.Tensor1D {
  const { weight, layout, bias } = projection;
  if (layout === 'hidden-by-vocab') {
    const logits = tf.matMul(chunk, weight as tf.Tensor2D);
    return tf.argMax(bias ? tf.add(logits, bias) : logits, 1);
  }
  const transposed = tf.matMul(weight as tf.Tensor2D, tf.transpose(chunk));
  const shifted = bias ? tf.add(transposed, tf.reshape(bias, [weight.shape[0]!, 1])) : transposed;
  return tf.argMax(shifted, 0);
}

/**
 * $\sum_t w_t [\arg\max_v (h_t W + b)_v = y_t]$ over rows `[N, H]` projected `chunkSize` rows at a
 * time, so that the `[N, V]` logits never exist, as a float32 scalar.
 *
 * The work runs inside a `tf.customGrad` whose gradient is zero: ops inside a custom gradient's
 * forward function are not recorded on the gradient tape, so a metric computed while `tf.grad`
 * records keeps no chunk of logits alive until the backward pass (a plain `argMax` on the tape
 * would keep every chunk's).
 */
export function countCorrectRows(input: CorrectRowsInput): tf.Scalar {
  const { rows, projection, safeLabels, countedWeights, chunkSize } = input;
  const inputs: tf.Tensor[] = [rows, projection.weight];
  if (projection.bias) inputs.push(projection.bias);
  const positions = rows.shape[0];
  const count = tf.customGrad((..._args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const value = tf.tidy(() => {
      let correct: tf.Scalar = tf.scalar(0);
      for (let start = 0; start < positions; start += chunkSize) {
        const size = Math.min(chunkSize, positions - start);
        const hits = tf.tidy(() => {
          const chunk = tf.slice(rows, [start, 0], [size, -1]);
          const predictions = chunkPredictions(chunk, projection);
          const labels = tf.slice(safeLabels, [start], [size]);
          const hit = tf.cast(tf.equal(predictions, labels), 'float32');
          return tf.sum(tf.mul(hit, tf.slice(countedWeights, [start], [size]))) as tf.Scalar;
        });
        const total = tf.add(correct, hits) as tf.Scalar;
        tf.dispose([correct, hits]);
        correct = total;
      }
      return correct;
    });
    return { value, gradFunc: () => inputs.map((tensor) => tf.zerosLike(tensor)) };
  });
  return count(...inputs) as tf.Scalar;
}
