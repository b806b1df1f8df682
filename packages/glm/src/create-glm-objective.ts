import {
  type ComputeLossInput,
  defineObjective,
  gatherPositions,
  InvalidArgumentError,
  isHiddenStateScores,
  type LossObjectiveV1,
  type ObjectiveLossResult,
  type RandomSource,
  ShapeMismatchError,
  type TokenLoss,
  type TokenScores,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { collateGlmBatch, GLM_BATCH_FIELDS, type GlmBatch } from './collate-glm-batch';
import {
  createGlmSampleBuilder,
  GLM_SAMPLE_BUILDER_OPTION_KEYS,
  type GlmModeChoice,
  type GlmSampleBuilder,
  type GlmSampleBuilderOptions,
} from './create-glm-sample-builder';
import { GLM_MODES, type GlmMode } from './glm-sample';
import { countCorrectOffTape } from './internal/count-correct-off-tape';
import {
  checkChoiceOption,
  checkGlmOptionsObject,
  checkNumber,
  checkNumberOption,
  checkOptionKeys,
} from './internal/validate';

/** The id under which the GLM objective registers. */
export const GLM_OBJECTIVE_ID = 'glm/blank-infilling';

/** One training example: the token ids of a text, without `[CLS]` (unless `prependCls: false`). */
export type GlmExample = ArrayLike<number>;

/** Options of {@link createGlmObjective}: every {@link GlmSampleBuilderOptions} member, plus batching and loss options. */
export interface GlmObjectiveOptions extends GlmSampleBuilderOptions {
  /**
   * Draw the corruption mode per sample (default), or once per batch as the reference does (its
   * batches are all token spans, all sentences or all `[gMASK]`).
   */
  readonly modeChoice?: 'per-sample' | 'per-batch';
  /** Pad every batch to exactly this length; a longer sample is an error, never truncated. Default: the longest row. */
  readonly sequenceLength?: number;
  /** Round each batch's padded length up to a multiple of this. Default 1. */
  readonly padToMultipleOf?: number;
  /** Label smoothing $\varepsilon$ of the cross-entropy. Default 0. */
  readonly labelSmoothing?: number;
  /** z-loss coefficient $\lambda$ of the cross-entropy. Default 0. */
  readonly zLoss?: number;
}

/** The GLM objective: the v1 contract, plus the sample builder it uses (for inspection and tools). */
export interface GlmObjective extends LossObjectiveV1<GlmExample, GlmBatch, TokenScores, GlmMode> {
  readonly builder: GlmSampleBuilder;
}

const OBJECTIVE_OPTION_KEYS = [
  'modeChoice',
  'sequenceLength',
  'padToMultipleOf',
  'labelSmoothing',
  'zLoss',
] as const;

/** The scores as `[B·L, last]` rows, after checking that they fit the batch. */
function scoreRows(functionName: string, outputs: TokenScores, batch: GlmBatch): tf.Tensor {
  const hidden = outputs != null && typeof outputs === 'object' && 'hiddenStates' in outputs;
  const scores: unknown = hidden
    ? (outputs as { hiddenStates: unknown }).hiddenStates
    : (outputs as { logits?: unknown } | null)?.logits;
  const argumentName = hidden ? 'outputs.hiddenStates' : 'outputs.logits';
  const { batch: batchSize, sequence } = batch.dimensions as { batch: number; sequence: number };
  const expected = `a float32 tensor [${batchSize}, ${sequence}, ${hidden ? 'H' : 'V'}] (or [${batchSize * sequence}, ${hidden ? 'H' : 'V'}]) matching the batch`;
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

/** Per mode, the flat positions `b·L + t` of Part B and their labels. */
function partBByMode(
  batch: GlmBatch,
): Record<GlmMode, { indices: Int32Array; labels: Int32Array }> {
  const lossMask = batch.fields.lossMask.data;
  const labels = batch.fields.labels.data;
  const modes = batch.fields.modes.data;
  const sequence = batch.dimensions['sequence']!;
  const groups = {} as Record<GlmMode, { indices: Int32Array; labels: Int32Array }>;
  GLM_MODES.forEach((mode, code) => {
    const size = batch.counts[mode];
    const indices = new Int32Array(size);
    const picked = new Int32Array(size);
    let write = 0;
    for (let row = 0; row < modes.length; row++) {
      if (modes[row] !== code) continue;
      for (let position = row * sequence; position < (row + 1) * sequence; position++) {
        if (lossMask[position] !== 0 && write < size) {
          indices[write] = position;
          picked[write++] = labels[position]!;
        }
      }
    }
    if (write !== size) {
      throw new InvalidArgumentError({
        functionName: `${GLM_OBJECTIVE_ID} computeLoss`,
        argumentName: `batch.counts.${mode}`,
        expected: `the number of Part B positions of ${mode} rows (${write})`,
        received: size,
        fix: 'pass the batch made by createBatch unchanged.',
      });
    }
    groups[mode] = { indices, labels: picked };
  });
  return groups;
}

/**
 * Creates GLM's autoregressive blank-infilling objective (`'glm/blank-infilling'`), the
 * {@link LossObjectiveV1} of GLM and GLM-130B pre-training.
 *
 * **Data side** (`createBatch(texts, { random })`): each text becomes a sample of the
 * {@link createGlmSampleBuilder} rules (token spans, sentences or the `[gMASK]` suffix), and the
 * samples are right-padded into a {@link GlmBatch} (see {@link collateGlmBatch}).
 *
 * **Tensor side** (`computeLoss({ outputs, batch, numItemsInBatch })`): aligned cross-entropy (no
 * shift: `logits[t]` is scored against `targets[t]`) over Part B,
 * $$L = \frac{\sum_t \mathrm{ce}_t \cdot \mathrm{lossMask}_t}{N}, \quad N = \sum_m N_m,$$
 * where $N_m$ is `numItemsInBatch[m]` (the count of mode $m$ over a whole accumulation window) or
 * this batch's `counts[m]`. Part $m \in$ {`span`, `sentence`, `document`} reports
 * $\mathrm{sum}_m = \sum_{t \in m} \mathrm{ce}_t$, $\mathrm{count}_m$ and its share
 * $\mathrm{loss}_m = \mathrm{sum}_m / N$, so that $L = \sum_m \mathrm{loss}_m$ and
 * $\mathrm{sum}_m / \mathrm{count}_m$ is that mode's mean. Only Part B rows are gathered and
 * scored; hidden states plus the projection go through core's fused `tokenCrossEntropy`, so the
 * `[B·L, V]` logits are never built. Metrics: `accuracy` (arg-max on Part B), `blankRatio`
 * ($\sum$ blanked / $\sum n$), `spanCount` (blanks in the batch).
 *
 * @example
 * const objective = createGlmObjective({ tokens: { cls: 1, mask: 2, sop: 3, eop: 4, gMask: 5 } });
 * const batch = objective.createBatch(texts, { random: createRng(7) });
 * const { loss, parts, metrics } = objective.computeLoss({ outputs: { logits }, batch });
 */
export function createGlmObjective(options: GlmObjectiveOptions): GlmObjective {
  const functionName = 'createGlmObjective';
  checkGlmOptionsObject(functionName, options);
  checkOptionKeys(functionName, options, [
    ...GLM_SAMPLE_BUILDER_OPTION_KEYS,
    ...OBJECTIVE_OPTION_KEYS,
  ]);
  const {
    modeChoice: givenModeChoice,
    sequenceLength,
    padToMultipleOf,
    labelSmoothing: givenSmoothing,
    zLoss: givenZLoss,
    ...builderOptions
  } = options;
  const modeChoice = checkChoiceOption(
    functionName,
    'options.modeChoice',
    givenModeChoice,
    'per-sample',
    ['per-sample', 'per-batch'],
  );
  if (sequenceLength !== undefined) {
    checkNumber(
      functionName,
      'options.sequenceLength',
      sequenceLength,
      { min: 1, integer: true },
      'pass a positive integer.',
    );
  }
  const labelSmoothing = checkNumberOption(
    functionName,
    'options.labelSmoothing',
    givenSmoothing,
    0,
    { min: 0, max: 1 },
    'pass a value in [0, 1], e.g. 0.1.',
  );
  const zLoss = checkNumberOption(
    functionName,
    'options.zLoss',
    givenZLoss,
    0,
    { min: 0 },
    'pass a non-negative coefficient such as 1e-4.',
  );
  const builder = createGlmSampleBuilder(builderOptions);
  const collateOptions = {
    padId: builder.options.tokens.pad,
    ...(sequenceLength === undefined ? {} : { sequenceLength }),
    ...(padToMultipleOf === undefined ? {} : { padToMultipleOf }),
  };
  // Fail at creation, not at the first batch, on a bad padToMultipleOf.
  checkNumberOption(
    functionName,
    'options.padToMultipleOf',
    padToMultipleOf,
    1,
    { min: 1, max: 1 << 20, integer: true },
    'pass a positive integer such as 8.',
  );

  const createBatch = (examples: readonly GlmExample[], { random }: { random: RandomSource }) => {
    if (!Array.isArray(examples) || examples.length === 0) {
      throw new InvalidArgumentError({
        functionName: `${GLM_OBJECTIVE_ID} createBatch`,
        argumentName: 'examples',
        expected: 'a non-empty array of texts as token ids',
        received: examples,
        fix: 'pass at least one tokenized text.',
      });
    }
    const batchChoice: GlmModeChoice | undefined =
      modeChoice === 'per-batch' ? builder.chooseMode(random) : undefined;
    const samples = examples.map((text) => builder.build(text, random, batchChoice));
    return collateGlmBatch(samples, collateOptions);
  };

  const computeLoss = ({
    outputs,
    batch,
    numItemsInBatch,
  }: ComputeLossInput<GlmBatch, TokenScores>): ObjectiveLossResult<GlmMode> => {
    const lossFunction = `${GLM_OBJECTIVE_ID} computeLoss`;
    const scores = scoreRows(lossFunction, outputs, batch);
    const projection = isHiddenStateScores(outputs) ? outputs.projection : undefined;
    const groups = partBByMode(batch);
    let normaliser = 0;
    for (const mode of GLM_MODES) {
      const given = numItemsInBatch?.[mode];
      normaliser +=
        given === undefined
          ? batch.counts[mode]
          : checkNumber(
              lossFunction,
              `numItemsInBatch.${mode}`,
              given,
              { min: 0 },
              'pass the total count of this part over the accumulation window.',
            );
    }
    const totals = { blanked: 0, text: 0, spans: 0 };
    for (let row = 0; row < batch.size; row++) {
      totals.blanked += batch.fields.blankedCounts.data[row]!;
      totals.text += batch.fields.textLengths.data[row]!;
      totals.spans += batch.fields.spanCounts.data[row]!;
    }
    return tf.tidy(() => {
      const last = scores.shape[scores.rank - 1]!;
      const rows = tf.reshape(scores, [-1, last]) as tf.Tensor2D;
      const table = tf.reshape(rows, [1, -1, last]);
      const parts = {} as Record<GlmMode, TokenLoss>;
      for (const mode of GLM_MODES) {
        const { indices, labels } = groups[mode];
        if (indices.length === 0) {
          parts[mode] = { loss: tf.scalar(0), sum: tf.scalar(0), count: tf.scalar(0) };
          continue;
        }
        // Gather Part B first: the loss then scores only these rows ([1, P, ·] instead of [B·L, ·]).
        const picked = gatherPositions(table, tf.tensor2d(indices, [1, indices.length], 'int32'));
        const pickedScores: TokenScores = projection
          ? { hiddenStates: picked, projection }
          : { logits: picked };
        parts[mode] = tokenCrossEntropy(pickedScores, labels, {
          numItemsInBatch: normaliser,
          labelSmoothing,
          zLoss,
        });
      }
      // Pairwise adds: tf.addN's gradient fails here in tfjs 4.22 (its backward reads a null dy).
      const loss = GLM_MODES.slice(1).reduce<tf.Scalar>(
        (sum, mode) => tf.add(sum, parts[mode].loss),
        parts[GLM_MODES[0]!].loss,
      );
      const allIndices = new Int32Array(
        GLM_MODES.reduce((n, m) => n + groups[m].indices.length, 0),
      );
      const allLabels = new Int32Array(allIndices.length);
      let offset = 0;
      for (const mode of GLM_MODES) {
        allIndices.set(groups[mode].indices, offset);
        allLabels.set(groups[mode].labels, offset);
        offset += groups[mode].indices.length;
      }
      const correct = countCorrectOffTape(rows, allIndices, allLabels, projection);
      const accuracy = tf.div(correct, Math.max(allIndices.length, 1)) as tf.Scalar;
      return {
        loss,
        parts,
        metrics: {
          accuracy,
          blankRatio: tf.scalar(totals.text > 0 ? totals.blanked / totals.text : 0),
          spanCount: tf.scalar(totals.spans),
        },
      } as unknown as tf.TensorContainer;
    }) as unknown as ObjectiveLossResult<GlmMode>;
  };

  const objective = defineObjective<GlmExample, GlmBatch, TokenScores, GlmMode>({
    objectiveId: GLM_OBJECTIVE_ID,
    description:
      'GLM autoregressive blank infilling: blanked spans, sentences or a document suffix are regenerated in a random order after the corrupted text.',
    partNames: GLM_MODES,
    batchFields: GLM_BATCH_FIELDS,
    createBatch,
    computeLoss,
  });
  return Object.freeze({ ...objective, builder });
}
