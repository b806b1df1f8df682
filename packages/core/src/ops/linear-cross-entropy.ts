import * as tf from '@tensorflow/tfjs-core';
import type { ProjectionLayout } from '../contract/v1/model-outputs';
import type { TokenLoss } from '../contract/v1/token-loss';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { checkPositiveInteger } from '../validation/check-integer';
import { checkOneOf } from '../validation/check-one-of';
import { checkTensor } from '../validation/check-tensor';
import { formatShape } from '../validation/format-shape';
import { isTensor } from '../validation/is-tensor';
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
import { zeroUnscoredRows } from './internal/zero-unscored-rows';

/**
 * The default number of rows scored at once by {@link linearCrossEntropy}. Measured on the wasm
 * backend (`H = 768`, forward + backward, CPU time): chunks of 64–256 rows were equally fast within
 * noise at `V = 32000` (about 1.07× the three bare products) and at `V = 128256`, and 64–128 the
 * fastest at `V = 8192`; 512 and 1024 rows were 5–15 % slower (the products' operands leave the
 * cache) and hold more memory (a chunk's logits are `chunkSize · V` floats, a few times over
 * inside the chunk). 128 is fast at every size measured and keeps a chunk small. See
 * `bench/results/README.md`.
 */
export const DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE = 128;

/** Options of {@link linearCrossEntropy}: every {@link TokenLossOptions} member, plus the projection's. */
export interface LinearCrossEntropyOptions extends TokenLossOptions {
  /**
   * How `weight` is stored: `'hidden-by-vocab'` (default) for `[H, V]`, logits $= hW$ (a dense
   * kernel); `'vocab-by-hidden'` for `[V, H]`, logits $= hW^\top$ (an input embedding table reused
   * as the output layer, "tied"). The weight gradient has the weight's own layout.
   */
  weightLayout?: ProjectionLayout;
  /** Optional float32 `[V]` added to every logit row: logits $= hW + b$. It receives a gradient. */
  bias?: tf.Tensor;
  /**
   * Rows (positions) projected and scored at once: at most `chunkSize · V` logits exist at any
   * time. Any positive integer; it need not divide the number of positions. Default
   * {@link DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE} (128), the fastest measured on wasm.
   */
  chunkSize?: number;
}

const PROJECTION_OPTION_KEYS = ['weightLayout', 'bias', 'chunkSize'] as const;

/**
 * The projection as the products need it. `weight` is the caller's tensor in its own layout;
 * `byVocab` is its `[H, V]` orientation for the logits product: the weight itself for
 * `'hidden-by-vocab'`, an explicit transpose (made once per call) for a tied `[V, H]` weight.
 */
interface Projection {
  layout: ProjectionLayout;
  weight: tf.Tensor2D;
  byVocab: tf.Tensor2D;
}

function makeProjection(weight: tf.Tensor2D, layout: ProjectionLayout): Projection {
  return { layout, weight, byVocab: layout === 'hidden-by-vocab' ? weight : tf.transpose(weight) };
}

/** What one sweep over the chunks computes; which parts depends on the sweep's settings. */
interface SweepResult {
  /** `[N]`: $w_t \ell_t$. */
  perPosition?: tf.Tensor1D;
  /** `[N, 2]`: the row normalisers $(m_t, s_t)$, $\mathrm{lse}_t = m_t + s_t$ (see `rowLogSumExpAndLoss`). */
  rowNormalizers?: tf.Tensor2D;
  /** `[N, H]`. */
  hiddenGradient?: tf.Tensor2D;
  /** The weight's gradient, in the weight's own layout. */
  weightGradient?: tf.Tensor2D;
  /** `[V]`. */
  biasGradient?: tf.Tensor1D;
}

interface SweepSettings {
  rows: tf.Tensor2D;
  projection: Projection;
  bias: tf.Tensor1D | undefined;
  safeLabels: tf.Tensor1D;
  countedWeights: tf.Tensor1D;
  chunkSize: number;
  settings: RowLossSettings;
  /** Score the rows (per-position losses and log-sum-exps). */
  computeLoss: boolean;
  /**
   * Per-row scale $s_t$ of the gradient to compute (the gradient is that of $\sum_t s_t \ell_t$);
   * no gradient when undefined.
   */
  gradientRowScale?: tf.Tensor1D;
  /** Known row normalisers (from a previous scoring sweep), when only a gradient is computed. */
  knownNormalizers?: tf.Tensor2D;
}

/** What one chunk contributes to a sweep. */
interface ChunkPiece {
  loss?: tf.Tensor1D;
  rowNormalizers?: tf.Tensor2D;
  hiddenGradient?: tf.Tensor2D;
  /** The running weight gradient (the weight's layout), this chunk included. */
  weightGradient?: tf.Tensor2D;
  /** The running `[1, V]` bias gradient, this chunk included. */
  biasGradient?: tf.Tensor2D;
}

/** Rows `[start, start + size)` of a `[N]` or `[N, H]` tensor (a contiguous copy). */
function rowRange<T extends tf.Tensor>(values: T, start: number, size: number): T {
  return (
    values.rank === 1 ? tf.slice(values, [start], [size]) : tf.slice(values, [start, 0], [size, -1])
  ) as T;
}

/**
 * One pass over the rows, `chunkSize` at a time: per chunk $z_c = h_c W + b$, then (as asked) the
 * row losses, and the gradient pieces $g_c = \partial(\sum s_t \ell_t)/\partial z_c$,
 * $\partial h_c = g_c W^\top$, $\partial W \mathrel{+}= h_c^\top g_c$, $\partial b \mathrel{+}= \mathbf{1}^\top g_c$.
 *
 * Every product runs untransposed, on explicit transposes (on wasm, transposed-flag products are
 * 10–20× slower). The transposed operands are chunk-sized (`g_cᵀ`, `h_cᵀ`) rather than a
 * transposed copy of the whole weight: for `[H, V]`, $\partial h_c = (W g_c^\top)^\top$; for a
 * tied `[V, H]` weight, $\partial h_c = g_c W$ and $\partial W \mathrel{+}= g_c^\top h_c$, so the
 * weight gradient accumulates in the weight's own layout. Only one chunk's logits are alive at a time.
 */
function sweepChunks(sweep: SweepSettings): SweepResult {
  const { rows, projection, bias, safeLabels, countedWeights, chunkSize, settings, computeLoss } =
    sweep;
  const { gradientRowScale, knownNormalizers } = sweep;
  const [positions, hiddenSize] = rows.shape;
  const vocabularySize = projection.byVocab.shape[1];
  const losses: tf.Tensor1D[] = [];
  const normalizers: tf.Tensor2D[] = [];
  const hiddenGradients: tf.Tensor2D[] = [];
  let weightGradient: tf.Tensor2D | undefined;
  let biasGradient: tf.Tensor2D | undefined;
  for (let start = 0; start < positions; start += chunkSize) {
    const size = Math.min(chunkSize, positions - start);
    const piece = tidyResult((): ChunkPiece => {
      const hidden = rowRange(rows, start, size);
      const labels = rowRange(safeLabels, start, size);
      const logits = (
        bias
          ? tf.fused.matMul({ a: hidden, b: projection.byVocab, bias })
          : tf.matMul(hidden, projection.byVocab)
      ) as tf.Tensor2D;
      let rowNormalizers = knownNormalizers ? rowRange(knownNormalizers, start, size) : undefined;
      let loss: tf.Tensor1D | undefined;
      if (computeLoss) {
        const scored = rowLogSumExpAndLoss(logits, labels, settings);
        rowNormalizers = scored.rowNormalizers;
        loss = tf.mul(scored.rowLoss, rowRange(countedWeights, start, size)) as tf.Tensor1D;
      }
      if (!gradientRowScale) return loss && rowNormalizers ? { loss, rowNormalizers } : {};
      if (!rowNormalizers) {
        rowNormalizers = rowLogSumExpAndLoss(logits, labels, settings).rowNormalizers;
      }
      const logitGradient = rowLossGradient(
        logits,
        rowNormalizers,
        labels,
        rowRange(gradientRowScale, start, size),
        settings,
      );
      logits.dispose();
      const logitGradientTransposed = tf.transpose(logitGradient);
      let hiddenGradient: tf.Tensor2D;
      let chunkWeightGradient: tf.Tensor2D;
      if (projection.layout === 'hidden-by-vocab') {
        hiddenGradient = tf.transpose(
          tf.matMul(projection.weight, logitGradientTransposed),
        ) as tf.Tensor2D;
        logitGradientTransposed.dispose();
        chunkWeightGradient = tf.matMul(tf.transpose(hidden), logitGradient);
      } else {
        hiddenGradient = tf.matMul(logitGradient, projection.weight);
        chunkWeightGradient = tf.matMul(logitGradientTransposed, hidden);
        logitGradientTransposed.dispose();
      }
      // A column sum as a [1, C] · [C, V] product: `tf.sum(·, 0)` transposes first on wasm (~50× slower).
      const chunkBiasGradient = bias
        ? (tf.matMul(tf.ones([1, size]), logitGradient) as tf.Tensor2D)
        : undefined;
      logitGradient.dispose();
      // Accumulate inside the tidy so that the chunk's own product is freed right away.
      const nextWeightGradient = weightGradient
        ? tf.add(weightGradient, chunkWeightGradient)
        : chunkWeightGradient;
      const nextBiasGradient =
        chunkBiasGradient && biasGradient
          ? tf.add(biasGradient, chunkBiasGradient)
          : chunkBiasGradient;
      const piece: ChunkPiece = {
        hiddenGradient,
        weightGradient: nextWeightGradient as tf.Tensor2D,
      };
      if (loss) piece.loss = loss;
      if (computeLoss) piece.rowNormalizers = rowNormalizers;
      if (nextBiasGradient) piece.biasGradient = nextBiasGradient as tf.Tensor2D;
      return piece;
    });
    if (piece.loss) losses.push(piece.loss);
    if (piece.rowNormalizers) normalizers.push(piece.rowNormalizers);
    if (piece.hiddenGradient) {
      hiddenGradients.push(piece.hiddenGradient);
      if (weightGradient && weightGradient !== piece.weightGradient) weightGradient.dispose();
      weightGradient = piece.weightGradient;
      if (biasGradient && biasGradient !== piece.biasGradient) biasGradient.dispose();
      biasGradient = piece.biasGradient;
    }
  }
  const joined = <T extends tf.Tensor>(parts: T[]): T => {
    const result = (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as T;
    if (parts.length > 1) tf.dispose(parts);
    return result;
  };
  const result: SweepResult = {};
  if (computeLoss) {
    result.perPosition = positions === 0 ? tf.zeros<tf.Rank.R1>([0]) : joined(losses);
    result.rowNormalizers = positions === 0 ? tf.zeros<tf.Rank.R2>([0, 2]) : joined(normalizers);
  }
  if (gradientRowScale) {
    result.hiddenGradient =
      positions === 0 ? tf.zeros<tf.Rank.R2>([0, hiddenSize]) : joined(hiddenGradients);
    result.weightGradient = weightGradient ?? tf.zerosLike(projection.weight);
    if (bias) {
      result.biasGradient = biasGradient
        ? (tf.reshape(biasGradient, [vocabularySize]) as tf.Tensor1D)
        : tf.zeros<tf.Rank.R1>([vocabularySize]);
      biasGradient?.dispose();
    }
  }
  return result;
}

interface FusedSettings {
  layout: ProjectionLayout;
  chunkSize: number;
  settings: RowLossSettings;
  safeLabels: tf.Tensor1D;
  countedWeights: tf.Tensor1D;
  /** The upstream gradient of the per-position losses is the same for every row (`'mean'`, `'sum'`). */
  uniformUpstream: boolean;
}

/**
 * The per-position losses $w_t \ell_t$ `[N]` of rows `[N, H]` under the projection, as one
 * `tf.customGrad` whose inputs are the rows, the weight and the bias.
 *
 * When a gradient tape is recording and the upstream gradient is uniform over rows (the `'mean'`
 * and `'sum'` reductions, where the per-position losses are only reached through their sum), the
 * forward sweep also computes the gradient of $\sum_t w_t \ell_t$, and the backward pass only
 * multiplies it by the upstream scalar: three products per chunk, the minimum. With no tape
 * recording (evaluation) only the logits product runs. With `'none'` the upstream gradient differs
 * per row, so the backward pass recomputes each chunk's logits with the saved log-sum-exps: four
 * products per chunk.
 */
function fusedPerPosition(
  rows: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D | undefined,
  fused: FusedSettings,
): tf.Tensor1D {
  const { layout, chunkSize, settings, safeLabels, countedWeights, uniformUpstream } = fused;
  // `customGrad`'s forward function runs with the tape paused, so it cannot tell by itself whether
  // a backward pass will follow; ask the engine here, before entering it.
  const recording = tf.engine().isTapeOn();
  const precomputeGradient = recording && uniformUpstream;
  const lossWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [input, matrix, offsets] = args.slice(0, -1) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D | undefined,
    ];
    // Unscored rows become zeros: a NaN hidden state at an ignored position must not reach the
    // loss or, through hᵀG, every entry of the weight gradient.
    const safeInput = zeroUnscoredRows(input, countedWeights);
    const common = {
      rows: safeInput,
      projection: makeProjection(matrix, layout),
      bias: offsets,
      safeLabels,
      countedWeights,
      chunkSize,
      settings,
    };
    if (precomputeGradient) {
      const swept = sweepChunks({ ...common, computeLoss: true, gradientRowScale: countedWeights });
      save([
        swept.hiddenGradient!,
        swept.weightGradient!,
        ...(offsets ? [swept.biasGradient!] : []),
      ]);
      return {
        value: swept.perPosition!,
        gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) =>
          tf.tidy(() => {
            const scale =
              upstream.size === 0 ? tf.scalar(0) : tf.reshape(tf.slice(upstream, [0], [1]), []);
            return saved.map((gradient) => tf.mul(gradient, scale));
          }),
      };
    }
    const swept = sweepChunks({ ...common, computeLoss: true });
    save([
      safeInput,
      matrix,
      ...(offsets ? [offsets] : []),
      swept.rowNormalizers!,
      safeLabels,
      countedWeights,
    ]);
    return {
      value: swept.perPosition!,
      gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [savedInput, savedMatrix] = saved as [tf.Tensor2D, tf.Tensor2D];
          const savedBias = offsets ? (saved[2] as tf.Tensor1D) : undefined;
          const [savedNormalizers, savedLabels, savedWeights] = saved.slice(offsets ? 3 : 2) as [
            tf.Tensor2D,
            tf.Tensor1D,
            tf.Tensor1D,
          ];
          const swept = sweepChunks({
            rows: savedInput,
            projection: makeProjection(savedMatrix, layout),
            bias: savedBias,
            safeLabels: savedLabels,
            countedWeights: savedWeights,
            chunkSize,
            settings,
            computeLoss: false,
            gradientRowScale: tf.mul(upstream, savedWeights) as tf.Tensor1D,
            knownNormalizers: savedNormalizers,
          });
          return [
            swept.hiddenGradient!,
            swept.weightGradient!,
            ...(savedBias ? [swept.biasGradient!] : []),
          ];
        }),
    };
  });
  return (
    bias ? lossWithGradient(rows, weight, bias) : lossWithGradient(rows, weight)
  ) as tf.Tensor1D;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/**
 * Fused (chunked) linear cross-entropy: the token cross-entropy of the logits $z = hW + b$, computed
 * `chunkSize` rows at a time with a hand-written gradient, so that the `[N, V]` logits (the largest
 * tensor of language-model training, several times over in a naive backward pass) never exist.
 *
 * Per counted position $t$ (label $y_t \ne$ `ignoreIndex`), with $z_t = h_t W + b$ and
 * $\mathrm{lse}_t = \log\sum_v e^{z_{t,v}}$:
 * $$\ell_t = (1-\varepsilon)(\mathrm{lse}_t - z_{t,y_t}) + \varepsilon\left(\mathrm{lse}_t - \tfrac{1}{V}\textstyle\sum_v z_{t,v}\right) + \lambda\,\mathrm{lse}_t^2$$
 * $$\mathrm{sum} = \sum_t w_t \ell_t, \quad \mathrm{count} = \sum_t w_t, \quad \mathrm{loss} = \mathrm{sum} / (\texttt{numItemsInBatch} \text{ or } \mathrm{count})$$
 * and the gradients, with $G = \partial\,\mathrm{loss}/\partial z$ built one chunk of rows at a time:
 * $\partial h = G W^\top$, $\partial W = h^\top G$ (its transpose for a `[V, H]` weight), $\partial b = \mathbf{1}^\top G$.
 *
 * The results equal `crossEntropy(matMul(hidden, W) + bias, labels, options)` (same options, same
 * conventions: ignore index −100, `shift`, reductions, `numItemsInBatch`, smoothing, z-loss,
 * weights) up to float32 rounding, for any `chunkSize`.
 *
 * - **Memory:** at most one chunk's logits (`chunkSize · V` floats, a few times over inside the
 *   chunk) plus gradients the size of the inputs; the weight gradient is accumulated chunk by
 *   chunk, so three weight-sized tensors exist for a moment (the running sum, the chunk's part and
 *   their sum: tfjs has no in-place add). At `N = 1024, H = 768, V = 32000` on wasm that is about a
 *   fifth of the naive `tf.matMul` + `tf.losses.softmaxCrossEntropy` peak (`bench/results`).
 * - **Time:** every product runs untransposed, on explicit chunk-sized transposes (on wasm,
 *   `tf.matMul` with transpose flags is 10–20× slower); a tied `[V, H]` weight is transposed once
 *   per call for the logits product. While a gradient tape records
 *   (`tf.grad`, `tf.grads`, `tf.variableGrads`, `optimizer.minimize`) and the reduction is `'mean'`
 *   or `'sum'`, the forward pass computes the gradients too (`customGrad` cannot defer that without
 *   recomputing the logits), and the backward pass only scales them: about three products' worth,
 *   ≈ 3× a loss-only forward. Without a tape only the logits product runs. With `'none'` the
 *   backward pass recomputes the logits chunk by chunk (about four products' worth in total).
 * - **Zero counted positions** (every label ignored) give `loss = 0` and zero gradients, never NaN.
 * - Gradients of the other ops it uses must be registered: use `@tensorflow/tfjs`, or import
 *   `@tensorflow/tfjs-core/dist/register_all_gradients` once.
 *
 * @param hidden float32 hidden states `[N, H]` or `[B, L, H]` (the last layer's output).
 * @param weight float32 projection, `[H, V]` or, with `weightLayout: 'vocab-by-hidden'`, `[V, H]`.
 * @param labels int32 class ids of the hidden states' leading shape (`[N]` or `[B, L]`), aligned
 *   with the inputs; `ignoreIndex` marks positions that are not scored.
 * @param options see {@link LinearCrossEntropyOptions} (every {@link TokenLossOptions} member,
 *   plus `weightLayout`, `bias` and `chunkSize`).
 * @returns `{ loss, sum, count }`; scalars, except `loss` with `reduction: 'none'` (the labels'
 *   shape). The caller owns them.
 * @throws {InvalidArgumentError} for non-float32 inputs, labels outside $[0, V)$ (other than the
 *   ignore index), a bad `chunkSize`, `weightLayout` or token-loss option.
 *   {@link ShapeMismatchError} when the weight, bias, labels or weights do not fit `hidden`.
 * @example
 * // tied embeddings [V, H], next-token prediction, gradients for hidden states and the table
 * const [dHidden, dTable] = tf.grads((h, table) =>
 *   linearCrossEntropy(h, table, labels, { weightLayout: 'vocab-by-hidden', shift: true }).loss,
 * )([hidden, table]);
 */
export function linearCrossEntropy(
  hidden: tf.Tensor,
  weight: tf.Tensor,
  labels: LabelsInput,
  options: LinearCrossEntropyOptions & { reduction: 'none' },
): TokenLoss<tf.Tensor>;
export function linearCrossEntropy(
  hidden: tf.Tensor,
  weight: tf.Tensor,
  labels: LabelsInput,
  options?: LinearCrossEntropyOptions,
): TokenLoss;
export function linearCrossEntropy(
  hidden: tf.Tensor,
  weight: tf.Tensor,
  labels: LabelsInput,
  options?: LinearCrossEntropyOptions,
): TokenLoss<tf.Tensor> {
  const functionName = 'linearCrossEntropy';
  const site = (argumentName: string) => ({ functionName, argumentName });
  checkTensor(site('hidden'), hidden, { dtypes: ['float32'], ranks: [2, 3] });
  checkTensor(site('weight'), weight, { dtypes: ['float32'], ranks: [2] });
  const resolved = resolveTokenLossOptions(functionName, options, PROJECTION_OPTION_KEYS);
  const given: LinearCrossEntropyOptions = options ?? {};
  const layout: ProjectionLayout = checkOneOf(
    site('options.weightLayout'),
    given.weightLayout,
    ['hidden-by-vocab', 'vocab-by-hidden'] as const,
    'hidden-by-vocab',
  );
  const chunkSize = checkPositiveInteger(
    site('options.chunkSize'),
    given.chunkSize,
    `pass a positive whole number of rows (default ${DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE}); it need not divide the number of positions.`,
    DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
  );
  const hiddenSize = hidden.shape[hidden.rank - 1]!;
  const [weightRows, weightColumns] = weight.shape as [number, number];
  const [weightHidden, vocabularySize] =
    layout === 'hidden-by-vocab' ? [weightRows, weightColumns] : [weightColumns, weightRows];
  if (weightHidden !== hiddenSize) {
    const otherLayout: ProjectionLayout =
      layout === 'hidden-by-vocab' ? 'vocab-by-hidden' : 'hidden-by-vocab';
    const otherFits = (layout === 'hidden-by-vocab' ? weightColumns : weightRows) === hiddenSize;
    throw new ShapeMismatchError({
      ...site('weight'),
      expected:
        layout === 'hidden-by-vocab'
          ? `a weight of shape [${hiddenSize}, V] (weightLayout 'hidden-by-vocab': its first axis is hidden's last axis; hidden is ${formatShape(hidden.shape)})`
          : `a weight of shape [V, ${hiddenSize}] (weightLayout 'vocab-by-hidden': its last axis is hidden's last axis; hidden is ${formatShape(hidden.shape)})`,
      received: weight,
      fix: otherFits
        ? `this weight fits the other layout: pass options.weightLayout = '${otherLayout}'.`
        : 'pass the output projection of the model that produced these hidden states.',
    });
  }
  if (vocabularySize < 1) {
    throw new ShapeMismatchError({
      ...site('weight'),
      expected: 'a vocabulary axis of size ≥ 1',
      received: weight,
      fix: 'pass a projection with at least one output class.',
    });
  }
  const bias = given.bias;
  if (bias !== undefined) {
    if (!isTensor(bias)) {
      throw new InvalidArgumentError({
        ...site('options.bias'),
        expected: `a float32 tensor of shape [${vocabularySize}] or undefined`,
        received: bias,
        fix: 'pass the output bias as a tensor, or leave it out.',
      });
    }
    checkTensor(site('options.bias'), bias, { dtypes: ['float32'], ranks: [1] });
    if (bias.shape[0] !== vocabularySize) {
      throw new ShapeMismatchError({
        ...site('options.bias'),
        expected: `a bias of shape [${vocabularySize}] (one per vocabulary entry of the weight)`,
        received: bias,
        fix: 'give one bias per output class.',
      });
    }
  }
  const leadingShape = hidden.shape.slice(0, -1);
  const positions = sizeOf(leadingShape);
  const targets = tokenTargetSettings(functionName, leadingShape, vocabularySize, resolved);
  if (positions === 0) {
    const inputs = bias === undefined ? [hidden, weight] : [hidden, weight, bias];
    return emptyTokenLoss(inputs, labels, resolved, targets);
  }
  return tidyResult(() => {
    const { safeLabels, countedWeights } = tokenTargets(labels, resolved.weights, targets);
    const rows = tf.reshape(hidden, [positions, hiddenSize]) as tf.Tensor2D;
    const perPosition = fusedPerPosition(
      rows,
      weight as tf.Tensor2D,
      bias as tf.Tensor1D | undefined,
      {
        layout,
        chunkSize,
        settings: resolved,
        safeLabels,
        countedWeights,
        uniformUpstream: resolved.reduction !== 'none',
      },
    );
    return reduceTokenLoss(perPosition, countedWeights, leadingShape, resolved);
  });
}
