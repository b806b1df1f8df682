import * as tf from '@tensorflow/tfjs-core';
import { tidyResult } from '../../validation/tidy-result';
import { rowSum } from './row-sum';

/** The extras of a token loss beyond plain negative log-likelihood. */
export interface RowLossSettings {
  /** $\varepsilon$: weight of the uniform target. */
  labelSmoothing: number;
  /** $\lambda$: weight of the $\mathrm{lse}^2$ penalty. */
  zLoss: number;
}

/**
 * Per-row log-sum-exp and loss for logits `[n, V]` and labels `[n]`, computed the way that keeps
 * float32 precision at any logit scale. With $m_t = \max_v z_{t,v}$ and the shifted logits
 * $\tilde z_{t,v} = z_{t,v} - m_t$ (exact for the entries that matter: near the maximum, the
 * subtraction of two close floats is exact), $s_t = \log\sum_v e^{\tilde z_{t,v}}$ and
 * $\ell_t = (1-\varepsilon)(s_t - \tilde z_{t,y_t}) + \varepsilon(s_t - \bar{\tilde z}_t) + \lambda(m_t + s_t)^2$.
 * The full $\mathrm{lse}_t = m_t + s_t$ is never subtracted from a logit: at $|z| \approx 2.5 \cdot 10^4$ its
 * rounding alone (≈ 2e-3) would cost the probabilities three significant digits. The sums over
 * the vocabulary are blocked ({@link rowSum}): the wasm backend's plain `sum` loses up to 40 ulps.
 * The label logit is read with a flat gather, never through a one-hot of the vocabulary size.
 *
 * @returns `rowNormalizers` `[n, 2]`: $(m_t, s_t)$ per row, for {@link rowLossGradient}; and `rowLoss` `[n]`.
 */
export function rowLogSumExpAndLoss(
  logits: tf.Tensor2D,
  safeLabels: tf.Tensor1D,
  settings: RowLossSettings,
): { rowNormalizers: tf.Tensor2D; rowLoss: tf.Tensor1D } {
  return tidyResult(() => {
    const [rows, vocabularySize] = logits.shape;
    const rowMax = tf.max(logits, 1, true);
    const shifted = tf.sub(logits, rowMax) as tf.Tensor2D;
    const exponentials = tf.exp(shifted);
    const sumExp = rowSum(exponentials);
    exponentials.dispose();
    const shiftedLogSumExp = tf.log(sumExp) as tf.Tensor1D;
    const rowStarts = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocabularySize, 'int32'));
    const labelShifted = tf.gather(
      tf.reshape(shifted, [rows * vocabularySize]),
      tf.add(rowStarts, safeLabels),
    );
    let rowLoss = tf.sub(shiftedLogSumExp, labelShifted) as tf.Tensor1D;
    const { labelSmoothing, zLoss } = settings;
    if (labelSmoothing > 0) {
      const uniformTerm = tf.sub(shiftedLogSumExp, tf.div(rowSum(shifted), vocabularySize));
      rowLoss = tf.add(tf.mul(rowLoss, 1 - labelSmoothing), tf.mul(uniformTerm, labelSmoothing));
    }
    shifted.dispose();
    if (zLoss > 0) {
      const logSumExp = tf.add(tf.reshape(rowMax, [rows]), shiftedLogSumExp);
      rowLoss = tf.add(rowLoss, tf.mul(tf.square(logSumExp), zLoss));
    }
    const rowNormalizers = tf.concat(
      [rowMax, tf.reshape(shiftedLogSumExp, [rows, 1])],
      1,
    ) as tf.Tensor2D;
    return { rowNormalizers, rowLoss };
  });
}

/**
 * The gradient of $\sum_t s_t\,\ell_t$ with respect to logits `[n, V]`, given each row's scale
 * $s_t$ (upstream gradient × weight × counted, divided by the normaliser by the caller) and the
 * row normalisers $(m_t, s_t)$ of {@link rowLogSumExpAndLoss}:
 * $\partial/\partial z_{t,v} = s_t\left[p_{t,v}(1 + 2\lambda\,\mathrm{lse}_t) - (1-\varepsilon)[v = y_t] - \varepsilon/V\right]$,
 * with $p_{t,v} = e^{(z_{t,v} - m_t) - s_t}$ — PyTorch's order of operations, which keeps float32
 * precision at large logits. The label term is a scatter of one value per row, not a one-hot
 * tensor; intermediates of size $n \cdot V$ are freed as soon as possible.
 */
export function rowLossGradient(
  logits: tf.Tensor2D,
  rowNormalizers: tf.Tensor2D,
  safeLabels: tf.Tensor1D,
  rowScale: tf.Tensor1D,
  settings: RowLossSettings,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [rows, vocabularySize] = logits.shape;
    const { labelSmoothing, zLoss } = settings;
    const column = (values: tf.Tensor) => tf.reshape(values, [rows, 1]);
    const [rowMax, shiftedLogSumExp] = tf.split(rowNormalizers, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const shifted = tf.sub(logits, rowMax);
    const logProbabilities = tf.sub(shifted, shiftedLogSumExp);
    shifted.dispose();
    const probabilities = tf.exp(logProbabilities);
    logProbabilities.dispose();
    const probabilityScale =
      zLoss > 0
        ? tf.mul(
            rowScale,
            tf.add(tf.mul(tf.reshape(tf.add(rowMax, shiftedLogSumExp), [rows]), 2 * zLoss), 1),
          )
        : rowScale;
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
