import * as tf from '@tensorflow/tfjs-core';

/** The extras of a token loss beyond plain negative log-likelihood. */
export interface RowLossSettings {
  /** $\varepsilon$: weight of the uniform target. */
  labelSmoothing: number;
  /** $\lambda$: weight of the $\mathrm{lse}^2$ penalty. */
  zLoss: number;
}

/**
 * Per-row log-sum-exp and loss for logits `[n, V]` and labels `[n]`, in float32 with the row
 * maximum subtracted first (finite for logits of ±1e4):
 * $\ell_t = (1-\varepsilon)(\mathrm{lse}_t - z_{t,y_t}) + \varepsilon(\mathrm{lse}_t - \bar z_t) + \lambda\,\mathrm{lse}_t^2$.
 * The label logit is read with a flat gather, never through a one-hot of the vocabulary size.
 */
export function rowLogSumExpAndLoss(
  logits: tf.Tensor2D,
  safeLabels: tf.Tensor1D,
  settings: RowLossSettings,
): { logSumExp: tf.Tensor1D; rowLoss: tf.Tensor1D } {
  return tf.tidy(() => {
    const [rows, vocabularySize] = logits.shape;
    const rowMax = tf.max(logits, 1, true);
    const shifted = tf.sub(logits, rowMax);
    const exponentials = tf.exp(shifted);
    shifted.dispose();
    const sumExp = tf.sum(exponentials, 1);
    exponentials.dispose();
    const logSumExp = tf.add(tf.log(sumExp), tf.reshape(rowMax, [rows])) as tf.Tensor1D;
    const rowStarts = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocabularySize, 'int32'));
    const labelLogits = tf.gather(
      tf.reshape(logits, [rows * vocabularySize]),
      tf.add(rowStarts, safeLabels),
    );
    let rowLoss = tf.sub(logSumExp, labelLogits) as tf.Tensor1D;
    const { labelSmoothing, zLoss } = settings;
    if (labelSmoothing > 0) {
      const uniformTerm = tf.sub(logSumExp, tf.mean(logits, 1));
      rowLoss = tf.add(tf.mul(rowLoss, 1 - labelSmoothing), tf.mul(uniformTerm, labelSmoothing));
    }
    if (zLoss > 0) rowLoss = tf.add(rowLoss, tf.mul(tf.square(logSumExp), zLoss));
    return { logSumExp, rowLoss };
  });
}

/**
 * The gradient of $\sum_t s_t\,\ell_t$ with respect to logits `[n, V]`, given each row's scale
 * $s_t$ (upstream gradient × weight × counted, divided by the normaliser by the caller):
 * $\partial/\partial z_{t,v} = s_t\left[p_{t,v}(1 + 2\lambda\,\mathrm{lse}_t) - (1-\varepsilon)[v = y_t] - \varepsilon/V\right]$,
 * with $p_{t,v} = e^{z_{t,v} - \mathrm{lse}_t}$. The label term is written with a scatter of one
 * value per row, not a one-hot tensor; intermediates of size $n \cdot V$ are freed as soon as possible.
 */
export function rowLossGradient(
  logits: tf.Tensor2D,
  logSumExp: tf.Tensor1D,
  safeLabels: tf.Tensor1D,
  rowScale: tf.Tensor1D,
  settings: RowLossSettings,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, vocabularySize] = logits.shape;
    const { labelSmoothing, zLoss } = settings;
    const column = (values: tf.Tensor) => tf.reshape(values, [rows, 1]);
    const centred = tf.sub(logits, column(logSumExp));
    const probabilities = tf.exp(centred);
    centred.dispose();
    const probabilityScale =
      zLoss > 0 ? tf.mul(rowScale, tf.add(tf.mul(logSumExp, 2 * zLoss), 1)) : rowScale;
    let gradient: tf.Tensor2D = tf.mul(probabilities, column(probabilityScale));
    probabilities.dispose();
    const labelIndices = tf.stack([tf.range(0, rows, 1, 'int32'), safeLabels], 1) as tf.Tensor2D;
    const labelTerm = tf.scatterND(labelIndices, tf.mul(rowScale, 1 - labelSmoothing), [
      rows,
      vocabularySize,
    ]) as tf.Tensor2D;
    const withLabel = tf.sub(gradient, labelTerm) as tf.Tensor2D;
    gradient.dispose();
    labelTerm.dispose();
    gradient = withLabel;
    if (labelSmoothing > 0) {
      gradient = tf.sub(
        gradient,
        column(tf.mul(rowScale, labelSmoothing / vocabularySize)),
      ) as tf.Tensor2D;
    }
    return gradient;
  });
}
