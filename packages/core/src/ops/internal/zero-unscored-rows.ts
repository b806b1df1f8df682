import * as tf from '@tensorflow/tfjs-core';
import { readsAreSynchronous } from './synchronous-backend';

/** `[n]` bool: the rows of non-zero weight, the ones a loss scores (a NaN weight counts as scored). */
function scoredRows(rowWeights: tf.Tensor1D): tf.Tensor1D {
  return tf.notEqual(rowWeights, tf.scalar(0)) as tf.Tensor1D;
}

/**
 * `rows` `[n, C]` with every row of weight 0 replaced by zeros: a position that is not scored
 * (ignore index, or weighted out) must not reach the result, even when its scores are NaN or
 * infinite (a padding position of a diverging model, a masked-out row of garbage), since
 * $\mathrm{NaN} \cdot 0 = \mathrm{NaN}$. A NaN weight (an unchecked out-of-range label) keeps its row.
 */
export function zeroUnscoredRows<T extends tf.Tensor2D>(rows: T, rowWeights: tf.Tensor1D): T {
  return tf.tidy(() => {
    // The condition is built at full size from a float product: broadcasting a bool column
    // (what tf.where does) tiles it, which on wasm costs seven times the rest of this function.
    const scoredColumn = tf.reshape(tf.cast(scoredRows(rowWeights), 'float32'), [rows.shape[0], 1]);
    const scored = tf.cast(tf.mul(tf.onesLike(rows), scoredColumn), 'bool');
    return tf.where(scored, rows, tf.zerosLike(rows)) as T;
  });
}

/** `values` `[n]` with the entries of weight-0 rows set to 0 (an infinite loss there times 0 is NaN). */
export function zeroUnscoredEntries(values: tf.Tensor1D, rowWeights: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.where(scoredRows(rowWeights), values, tf.zerosLike(values)));
}

/**
 * Whether some row of weight 0 may hold a NaN or $+\infty$ score, judged from the row normalisers
 * $(m_t, s_t)$ of `rowLogSumExpAndLoss` (either entry makes $m_t + s_t$ non-finite; a $-\infty$
 * score alone gives a zero probability and a finite gradient). On `cpu` and `wasm` one boolean is
 * read back, so that the `[n, V]` clean-up runs only when needed (on wasm it costs about as much as
 * the rest of the loss); on asynchronous backends nothing is read and the answer is `true`.
 */
export function unscoredRowsMayBeNonFinite(
  rowNormalizers: tf.Tensor2D,
  rowWeights: tf.Tensor1D,
): boolean {
  if (!readsAreSynchronous()) return true;
  return tf.tidy(() => {
    const finite = tf.isFinite(tf.sum(rowNormalizers, 1));
    const suspect = tf.logicalAnd(tf.logicalNot(scoredRows(rowWeights)), tf.logicalNot(finite));
    return tf.any(suspect).dataSync()[0] === 1;
  });
}
