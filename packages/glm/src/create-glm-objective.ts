import {
  defineObjective,
  type LossObjectiveV1,
  type RandomSource,
  type TokenScores,
} from '@lm-objectives/core';
import { assembleGlmBatch, prepareGlmBatchOptions } from './data/create-glm-batch';
import type { GlmSampleBuilder } from './data/create-glm-sample-builder';
import { explainGlmBatch } from './data/explain-glm-batch';
import { GLM_BATCH_FIELDS, type GlmBatch } from './glm-batch';
import {
  GLM_OBJECTIVE_OPTION_KEYS,
  type GlmObjectiveOptions,
  resolveGlmLossOptions,
} from './glm-options';
import { GLM_MODES, type GlmExample, type GlmMode } from './glm-sample';
import { glmBlankInfillingLoss } from './loss/glm-blank-infilling-loss';

/** The id under which the GLM objective registers. */
export const GLM_OBJECTIVE_ID = 'glm/blank-infilling';

/** The GLM objective: the v1 contract, plus the sample builder it uses (for inspection and tools). */
export interface GlmObjective extends LossObjectiveV1<GlmExample, GlmBatch, TokenScores, GlmMode> {
  /** The builder `createBatch` makes its samples with (its `options` are the resolved builder options). */
  readonly builder: GlmSampleBuilder;
}

/**
 * Creates GLM's autoregressive blank-infilling objective (`'glm/blank-infilling'`), the
 * `LossObjectiveV1` of GLM and GLM-130B pre-training. It only assembles the two sides:
 *
 * - **data side**, `createBatch(examples, { random })`: `createGlmBatch` with these options — each
 *   text becomes a sample of the `createGlmSampleBuilder` rules (token spans, sentences or the
 *   `[gMASK]` suffix), given samples are taken as they are, and the rows are right-padded into a
 *   {@link GlmBatch} carrying the scored positions; `explainBatch` describes it in core's terms;
 * - **tensor side**, `computeLoss({ outputs, batch, numItemsInBatch })`: the aligned cross-entropy
 *   over Part B (`glmBlankInfillingLoss` in the package's `loss/` folder),
 *   $$L = \frac{\sum_t \mathrm{ce}_t \cdot \mathrm{lossMask}_t}{N}, \quad N = \sum_m N_m,$$
 *   reported per mode $m$ as $\mathrm{loss}_m = \mathrm{sum}_m / N$ (so $L = \sum_m \mathrm{loss}_m$),
 *   with the metrics `accuracy`, `blankRatio` and `spanCount`.
 *
 * @example
 * const objective = createGlmObjective({ clsTokenId: 1, maskTokenId: 2, sopTokenId: 3, eopTokenId: 4, gMaskTokenId: 5 });
 * const batch = objective.createBatch(texts, { random: createRng(7) });
 * const { loss, parts, metrics } = objective.computeLoss({ outputs: { logits }, batch });
 */
export function createGlmObjective(options: GlmObjectiveOptions): GlmObjective {
  const functionName = 'createGlmObjective';
  const prepared = prepareGlmBatchOptions(functionName, options, GLM_OBJECTIVE_OPTION_KEYS);
  const lossOptions = resolveGlmLossOptions(
    functionName,
    options as unknown as Readonly<Record<string, unknown>>,
  );
  const objective = defineObjective<GlmExample, GlmBatch, TokenScores, GlmMode>({
    objectiveId: GLM_OBJECTIVE_ID,
    description:
      'GLM autoregressive blank infilling: blanked spans, sentences or a document suffix are regenerated in a random order after the corrupted text.',
    partNames: GLM_MODES,
    batchFields: GLM_BATCH_FIELDS,
    createBatch: (examples: readonly GlmExample[], { random }: { random: RandomSource }) =>
      assembleGlmBatch(`${GLM_OBJECTIVE_ID} createBatch`, examples, prepared, random),
    computeLoss: (input) =>
      glmBlankInfillingLoss(`${GLM_OBJECTIVE_ID} computeLoss`, input, lossOptions),
    explainBatch: explainGlmBatch,
  });
  return Object.freeze({ ...objective, builder: prepared.builder });
}
