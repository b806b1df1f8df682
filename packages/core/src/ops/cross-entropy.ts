import * as tf from '@tensorflow/tfjs-core';
import type { TokenLoss } from '../contract/v1/token-loss';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { checkTensor } from '../validation/check-tensor';
import { tidyResult } from '../validation/tidy-result';
import { emptyTokenLoss } from './internal/empty-token-loss';
import { reduceTokenLoss } from './internal/reduce-token-loss';
import {
  type RowLossSettings,
  rowLogSumExpAndLoss,
  rowLossGradient,
} from './internal/softmax-rows';
import { resolveTokenLossOptions, type TokenLossOptions } from './internal/token-loss-options';
import { type LabelsInput, tokenTargetSettings, tokenTargets } from './internal/token-targets';
import {
  unscoredRowsMayBeNonFinite,
  zeroUnscoredEntries,
  zeroUnscoredRows,
} from './internal/zero-unscored-rows';

/** Options of {@link crossEntropy}: every {@link TokenLossOptions} member. */
export type CrossEntropyOptions = TokenLossOptions;

/**
 * Scores flat logits against flat targets with a hand-written gradient: the value is
 * $c_t w_t \ell_t$ per row, and the gradient never goes through `tf.gather`'s (which throws on
 * wasm, where the `UnsortedSegmentSum` kernel is missing, and is very slow on cpu for large V).
 *
 * A NaN or an infinity in a row of weight 0 (an ignored label) never reaches the loss or another
 * row's gradient, and that row's gradient is exactly 0: when such a row may exist (see
 * `unscoredRowsMayBeNonFinite`), the rows of weight 0 are replaced by zeros and scored again.
 */
function scoreRows(
  logits: tf.Tensor2D,
  safeLabels: tf.Tensor1D,
  countedWeights: tf.Tensor1D,
  settings: RowLossSettings,
): tf.Tensor1D {
  const scored = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rowLogits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    let safeLogits = rowLogits;
    let { rowNormalizers, rowLoss } = rowLogSumExpAndLoss(rowLogits, safeLabels, settings);
    if (unscoredRowsMayBeNonFinite(rowNormalizers, countedWeights)) {
      tf.dispose([rowNormalizers, rowLoss]);
      safeLogits = zeroUnscoredRows(rowLogits, countedWeights);
      ({ rowNormalizers, rowLoss } = rowLogSumExpAndLoss(safeLogits, safeLabels, settings));
    }
    save([safeLogits, rowNormalizers, safeLabels, countedWeights]);
    return {
      value: zeroUnscoredEntries(tf.mul(rowLoss, countedWeights) as tf.Tensor1D, countedWeights),
      gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogits, savedNormalizers, savedLabels, savedWeights] = saved as [
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor1D,
          tf.Tensor1D,
        ];
        const rowScale = tf.mul(upstream, savedWeights) as tf.Tensor1D;
        const gradient = rowLossGradient(
          savedLogits,
          savedNormalizers,
          savedLabels,
          rowScale,
          settings,
        );
        rowScale.dispose();
        return gradient;
      },
    };
  });
  return scored(logits) as tf.Tensor1D;
}

/**
 * Token cross-entropy over a vocabulary, with ignore index, causal shift, reductions, label
 * smoothing, z-loss and per-position weights. Returns the loss with its `sum` and `count`.
 *
 * Per counted position $t$ (label $y_t \ne$ `ignoreIndex`), with $\mathrm{lse}_t = \log\sum_v e^{z_{t,v}}$:
 * $$\ell_t = (1-\varepsilon)(\mathrm{lse}_t - z_{t,y_t}) + \varepsilon\left(\mathrm{lse}_t - \tfrac{1}{V}\textstyle\sum_v z_{t,v}\right) + \lambda\,\mathrm{lse}_t^2$$
 * $$\mathrm{sum} = \sum_t w_t \ell_t, \quad \mathrm{count} = \sum_t w_t, \quad \mathrm{loss} = \mathrm{sum} / (\texttt{numItemsInBatch} \text{ or } \mathrm{count})$$
 *
 * - Computed in float32 with a stable log-sum-exp; logits of ±1e4 give finite results.
 * - No one-hot tensor of the vocabulary size is built from the labels, and the gradient is
 *   hand-written (`tf.customGrad`), so it trains on the `wasm` backend and fast on `cpu`.
 * - Zero counted positions (every label ignored) give `loss = 0` and a zero gradient, never NaN.
 * - Gradients of the other ops it uses must be registered: use `@tensorflow/tfjs`, or import
 *   `@tensorflow/tfjs-core/dist/register_all_gradients` once.
 *
 * @param logits float32 scores `[N, V]` or `[B, L, V]`.
 * @param labels int32 class ids of the logits' leading shape (`[N]` or `[B, L]`), aligned with the
 *   inputs; `ignoreIndex` marks positions that are not scored. A tensor, an `Int32Array` or an array.
 * @param options see {@link TokenLossOptions}.
 * @returns `{ loss, sum, count }`; scalars, except `loss` with `reduction: 'none'`. The caller owns them.
 * @throws {InvalidArgumentError} for labels outside $[0, V)$ (other than the ignore index), bad
 *   options or weights. {@link ShapeMismatchError} when labels or weights do not fit the logits.
 * @example
 * const { loss, sum, count } = crossEntropy(logits, labels, { shift: true });
 */
export function crossEntropy(
  logits: tf.Tensor,
  labels: LabelsInput,
  options: CrossEntropyOptions & { reduction: 'none' },
): TokenLoss<tf.Tensor>;
export function crossEntropy(
  logits: tf.Tensor,
  labels: LabelsInput,
  options?: CrossEntropyOptions,
): TokenLoss;
export function crossEntropy(
  logits: tf.Tensor,
  labels: LabelsInput,
  options?: CrossEntropyOptions,
): TokenLoss<tf.Tensor> {
  const functionName = 'crossEntropy';
  checkTensor({ functionName, argumentName: 'logits' }, logits, {
    dtypes: ['float32'],
    ranks: [2, 3],
  });
  const resolved = resolveTokenLossOptions(functionName, options);
  const vocabularySize = logits.shape[logits.rank - 1]!;
  if (vocabularySize < 1) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'logits',
      expected: 'a vocabulary axis (the last) of size ≥ 1',
      received: logits,
      fix: 'pass logits of shape [N, V] or [B, L, V] with V ≥ 1.',
    });
  }
  const leadingShape = logits.shape.slice(0, -1);
  const positions = logits.size / vocabularySize;
  const targets = tokenTargetSettings(functionName, leadingShape, vocabularySize, resolved);
  if (positions === 0) return emptyTokenLoss([logits], labels, resolved, targets);
  return tidyResult(() => {
    const { safeLabels, countedWeights } = tokenTargets(labels, resolved.weights, targets);
    const rows = tf.reshape(logits, [positions, vocabularySize]) as tf.Tensor2D;
    const perPosition = scoreRows(rows, safeLabels, countedWeights, resolved);
    return reduceTokenLoss(perPosition, countedWeights, leadingShape, resolved);
  });
}
