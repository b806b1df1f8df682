import {
  defineObjective,
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveLossResult,
} from '@lm-objectives/core';
import { BERT_BATCH_FIELDS, type BertBatch, type BertPartName } from './bert-batch';
import {
  type BertObjectiveOptions,
  type ResolvedBertObjectiveOptions,
  resolveBertOptions,
} from './bert-options';
import type { BertPairExample } from './bert-pair-example';
import { createBertBatch } from './data/create-bert-batch';
import { maskerFromResolvedOptions } from './data/create-masked-lm-masker';
import { explainBertBatch } from './data/explain-bert-batch';
import type { MaskedLmMasker } from './data/masked-lm-masker';
import { bertLoss } from './loss/bert-loss';
import type { BertModelOutputs } from './loss/bert-model-outputs';
import { checkBertLossInputs } from './loss/check-bert-loss-inputs';
import {
  type BertHeadWeights,
  createBertHeadWeights,
  listHeadWeights,
} from './loss/create-bert-head-weights';

/** The objective id of {@link createBertObjective}. */
export const BERT_OBJECTIVE_ID = 'bert/mlm-nsp';

/** The BERT objective: a {@link LossObjectiveV1} plus its named head weights and its masker. */
export interface BertObjective
  extends LossObjectiveV1<BertPairExample, BertBatch, BertModelOutputs, BertPartName> {
  /** The heads' variables by name (the same ones `trainableWeights()` lists). */
  readonly weights: BertHeadWeights;
  /** The masker `createBatch` uses. */
  readonly masker: MaskedLmMasker;
  /** The validated options. */
  readonly options: ResolvedBertObjectiveOptions;
}

const LOSS_FUNCTION = `${BERT_OBJECTIVE_ID} computeLoss`;

/**
 * Creates the BERT pre-training objective (`'bert/mlm-nsp'`): masked LM plus next sentence
 * prediction, $L = L_{\mathrm{mlm}} + L_{\mathrm{nsp}}$. It assembles:
 *
 * - the **data side**, `createBatch(examples, { random })` = `createBertBatch`: pads pair examples
 *   (from `createNextSentencePairBuilder`) and masks them; the batch has the dense `labels`, the
 *   gathered `[B, P]` form, the flat `scoredPositions`/`scoredLabels` the loss reads, and `counts`;
 * - the **tensor side**, `computeLoss({ outputs: { hiddenStates, embeddingTable }, batch })` =
 *   `bertLoss`: a gather-first masked-LM head tied to the embedding table,
 *   $L_{\mathrm{mlm}} = \frac{1}{N}\sum_i -\log p(m_i)$ (0, not NaN, with no prediction), and a
 *   next-sentence head, $L_{\mathrm{nsp}} = \mathrm{mean}_b(-\log p(y_b))$, **label 1 = B is
 *   random**; parts `maskedLm` and `nextSentence`, metrics `maskedLmAccuracy` and
 *   `nextSentenceAccuracy`;
 * - `explainBatch` = `explainBertBatch`: each position's action (masked / random / kept /
 *   special / padding / context), label and original id, and the NSP label per row.
 *
 * The heads' weights are `tf.Variable`s listed by `trainableWeights()` (the training loop
 * optimises them alongside the model) and freed by `dispose()`.
 *
 * @example
 * const objective = createBertObjective({
 *   vocabularySize: 30522, hiddenSize: 768, clsTokenId: 101, sepTokenId: 102, padTokenId: 0, maskTokenId: 103,
 * });
 * const batch = objective.createBatch(examples, { random: createRng(1) });
 * const { loss, parts, metrics } = objective.computeLoss({ outputs: { hiddenStates, embeddingTable }, batch });
 * @throws {InvalidArgumentError} for invalid options (see `resolveBertOptions`).
 */
export function createBertObjective(options: BertObjectiveOptions): BertObjective {
  const resolved = resolveBertOptions(options);
  const masker = maskerFromResolvedOptions(resolved.masking);
  const weights = createBertHeadWeights({
    vocabularySize: resolved.vocabularySize,
    hiddenSize: resolved.hiddenSize,
    initializerRange: resolved.initializerRange,
    ownPooler: resolved.pooler === 'objective',
    seed: resolved.seed,
  });
  const trainable = Object.freeze(listHeadWeights(weights));
  const batchOptions = {
    masker,
    padTokenId: resolved.padTokenId,
    maxLength: resolved.maxLength,
    padding: resolved.padding,
    padToMultipleOf: resolved.padToMultipleOf,
  };
  const { clsTokenId, sepTokenId, padTokenId, maskTokenId } = resolved;
  const specialTokenIds = [
    clsTokenId,
    sepTokenId,
    padTokenId,
    maskTokenId,
    ...resolved.specialTokenIds,
  ];
  const lossSettings = {
    maskedLmScoring: resolved.maskedLmScoring,
    layerNormEpsilon: resolved.layerNormEpsilon,
    modelPooler: resolved.pooler === 'model',
    metrics: resolved.metrics,
  };
  let disposed = false;
  const objective = defineObjective<BertPairExample, BertBatch, BertModelOutputs, BertPartName>({
    objectiveId: BERT_OBJECTIVE_ID,
    description:
      'BERT pre-training: masked language modelling with a gather-first head tied to the input embeddings, plus next sentence prediction.',
    partNames: ['maskedLm', 'nextSentence'],
    batchFields: BERT_BATCH_FIELDS,
    createBatch: (examples, { random }) => createBertBatch(examples, batchOptions, random),
    computeLoss({ outputs, batch, numItemsInBatch }): ObjectiveLossResult<BertPartName> {
      if (disposed) {
        throw new InvalidArgumentError({
          functionName: LOSS_FUNCTION,
          argumentName: 'objective',
          expected: 'an objective whose head weights are alive',
          received: 'disposed',
          receivedDescription: 'an objective after dispose()',
          fix: 'create a new objective with createBertObjective.',
        });
      }
      checkBertLossInputs(LOSS_FUNCTION, outputs, batch, {
        vocabularySize: resolved.vocabularySize,
        hiddenSize: resolved.hiddenSize,
        modelPooler: lossSettings.modelPooler,
      });
      return bertLoss(outputs, batch, weights, lossSettings, numItemsInBatch);
    },
    explainBatch: (batch) => explainBertBatch(batch, { specialTokenIds }),
    trainableWeights: () => trainable,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const weight of trainable) weight.dispose();
    },
  });
  return Object.freeze({ ...objective, weights, masker, options: resolved });
}
