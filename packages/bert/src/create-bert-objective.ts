import {
  type CreateBatchOptions,
  defineObjective,
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveLossResult,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { BERT_BATCH_FIELDS, type BertBatch, type BertPartName } from './bert-batch';
import { collatePairExamples } from './data/collate-pair-examples';
import {
  createMaskedLmMasker,
  MASKED_LM_MASKER_OPTION_KEYS,
  type MaskedLmMasker,
  type MaskedLmMaskerOptions,
} from './data/create-masked-lm-masker';
import type { BertPairExample } from './data/create-next-sentence-pair-builder';
import {
  type BertHeadWeights,
  createBertHeadWeights,
  listHeadWeights,
} from './heads/create-bert-head-weights';
import { type MaskedLmScoring, maskedLmHead } from './heads/masked-lm-head';
import { nextSentenceHead } from './heads/next-sentence-head';
import {
  checkChoice,
  checkFlag,
  checkKnownKeys,
  checkNumber,
  checkTokenId,
  optionalNumber,
} from './internal/check-arguments';
import { checkFloatTensor } from './internal/check-tensor';

/** The objective id of {@link createBertObjective}. */
export const BERT_OBJECTIVE_ID = 'bert/mlm-nsp';

/** What the model hands to the BERT objective's tensor side. */
export interface BertModelOutputs {
  /** float32 `[B, L, H]`: the encoder's last hidden states. */
  readonly hiddenStates: tf.Tensor;
  /** float32 `[V, H]`: the input token embedding table, reused (tied) as the masked-LM output layer. */
  readonly embeddingTable: tf.Tensor;
  /** float32 `[B, H]`: the model's own pooled output; required with `pooler: 'model'`, else unused. */
  readonly pooledOutput?: tf.Tensor;
}

/** The masker options the objective takes (the special-token ids come from the objective's options). */
export type BertMaskingOptions = Omit<
  MaskedLmMaskerOptions,
  'vocabularySize' | 'maskTokenId' | 'padTokenId'
>;

/** Options of {@link createBertObjective}. */
export interface BertObjectiveOptions {
  /** $V$. */
  vocabularySize: number;
  /** $H$, the encoder's hidden size. */
  hiddenSize: number;
  /** Id of `[CLS]` (never masked). */
  clsTokenId: number;
  /** Id of `[SEP]` (never masked). */
  sepTokenId: number;
  /** Id of `[PAD]` (padding; never masked). */
  padTokenId: number;
  /** Id of `[MASK]`. */
  maskTokenId: number;
  /**
   * Masked-LM masking (see `createMaskedLmMasker`): `selection`, `selectionRate`, `maxPredictions`,
   * `maskTokenRate`, `randomTokenRate`, `replacement`, `randomTokenPool`, `continuationTokenIds`,
   * and `unselectableTokenIds` (added to `[CLS]`, `[SEP]`, `[PAD]`). Defaults: the original's.
   */
  masking?: BertMaskingOptions;
  /** Pad every batch to this length (default: the longest example of the batch). */
  sequenceLength?: number;
  /** `'gather-first'` (default) or `'all-positions'` (scores every position; for comparison). */
  maskedLmScoring?: MaskedLmScoring;
  /** `'objective'` (default): the objective owns the tanh pooler; `'model'`: `outputs.pooledOutput` is used. */
  pooler?: 'objective' | 'model';
  /** $\sigma$ of the truncated-normal kernel initialiser. Default 0.02. */
  initializerRange?: number;
  /** LayerNorm $\epsilon$ of the masked-LM transform. Default 1e-12. */
  layerNormEpsilon?: number;
  /** Seed of the heads' initial weights (through `createRng`). Default 0. */
  seed?: number;
  /** Compute the accuracy metrics (one more projection of the masked rows). Default `true`. */
  metrics?: boolean;
}

/** {@link BertObjectiveOptions} with every default filled in. */
export interface ResolvedBertObjectiveOptions {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly padTokenId: number;
  readonly maskTokenId: number;
  readonly sequenceLength: number | undefined;
  readonly maskedLmScoring: MaskedLmScoring;
  readonly pooler: 'objective' | 'model';
  readonly initializerRange: number;
  readonly layerNormEpsilon: number;
  readonly seed: number;
  readonly metrics: boolean;
}

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

const FUNCTION_NAME = 'createBertObjective';
/** Masker options the objective sets itself from its own options. */
const OBJECTIVE_TOKEN_OPTIONS: readonly string[] = ['vocabularySize', 'maskTokenId', 'padTokenId'];
const LOSS_FUNCTION = `${BERT_OBJECTIVE_ID} computeLoss`;

function resolveOptions(options: BertObjectiveOptions): ResolvedBertObjectiveOptions {
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const given = checkKnownKeys({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, [
    'vocabularySize',
    'hiddenSize',
    'clsTokenId',
    'sepTokenId',
    'padTokenId',
    'maskTokenId',
    'masking',
    'sequenceLength',
    'maskedLmScoring',
    'pooler',
    'initializerRange',
    'layerNormEpsilon',
    'seed',
    'metrics',
  ]) as Partial<BertObjectiveOptions>;
  const vocabularySize = checkNumber(
    site('vocabularySize'),
    given.vocabularySize,
    { min: 2, max: 2 ** 31 - 1, integer: true },
    'pass the tokenizer vocabulary size (the embedding table has this many rows).',
  );
  const tokenNames = {
    clsTokenId: '[CLS]',
    sepTokenId: '[SEP]',
    padTokenId: '[PAD]',
    maskTokenId: '[MASK]',
  };
  const tokenId = (name: keyof typeof tokenNames) =>
    checkTokenId(site(name), given[name], vocabularySize, tokenNames[name]);
  return Object.freeze({
    vocabularySize,
    hiddenSize: checkNumber(
      site('hiddenSize'),
      given.hiddenSize,
      { min: 1, max: 2 ** 20, integer: true },
      "pass the encoder's hidden size H (the last axis of its hidden states).",
    ),
    clsTokenId: tokenId('clsTokenId'),
    sepTokenId: tokenId('sepTokenId'),
    padTokenId: tokenId('padTokenId'),
    maskTokenId: tokenId('maskTokenId'),
    sequenceLength:
      given.sequenceLength === undefined
        ? undefined
        : checkNumber(
            site('sequenceLength'),
            given.sequenceLength,
            { min: 1, max: 2 ** 31 - 1, integer: true },
            'pass the padded length, e.g. 128.',
          ),
    maskedLmScoring: checkChoice(
      site('maskedLmScoring'),
      given.maskedLmScoring,
      ['gather-first', 'all-positions'] as const,
      'gather-first',
    ),
    pooler: checkChoice(site('pooler'), given.pooler, ['objective', 'model'] as const, 'objective'),
    initializerRange: optionalNumber(
      site('initializerRange'),
      given.initializerRange,
      0.02,
      { min: 0 },
      'pass the standard deviation of the initial kernels (BERT: 0.02).',
    ),
    layerNormEpsilon: optionalNumber(
      site('layerNormEpsilon'),
      given.layerNormEpsilon,
      1e-12,
      { min: 0, minExclusive: true },
      'pass a small positive number (BERT: 1e-12).',
    ),
    seed: optionalNumber(
      site('seed'),
      given.seed,
      0,
      { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
      'pass a non-negative integer seed.',
    ),
    metrics: checkFlag(site('metrics'), given.metrics, true),
  });
}

function createMasker(options: ResolvedBertObjectiveOptions, masking: unknown): MaskedLmMasker {
  const given = (
    masking === undefined
      ? {}
      : checkKnownKeys(
          { functionName: FUNCTION_NAME, argumentName: 'options.masking' },
          masking,
          MASKED_LM_MASKER_OPTION_KEYS.filter((key) => !OBJECTIVE_TOKEN_OPTIONS.includes(key)),
        )
  ) as BertMaskingOptions;
  const extra = given.unselectableTokenIds;
  return createMaskedLmMasker({
    ...given,
    vocabularySize: options.vocabularySize,
    maskTokenId: options.maskTokenId,
    padTokenId: options.padTokenId,
    unselectableTokenIds: [
      options.clsTokenId,
      options.sepTokenId,
      ...(extra === undefined ? [] : Array.from(extra as ArrayLike<number>)),
    ],
  });
}

function createBertBatch(
  options: ResolvedBertObjectiveOptions,
  masker: MaskedLmMasker,
  examples: readonly BertPairExample[],
  { random }: CreateBatchOptions,
): BertBatch {
  const collated = collatePairExamples(examples, {
    padTokenId: options.padTokenId,
    sequenceLength: options.sequenceLength,
  });
  const masked = masker.mask(
    {
      inputIds: collated.inputIds,
      shape: collated.shape,
      wordIds: collated.wordIds,
      attentionMask: collated.attentionMask,
    },
    random,
  );
  const [batchSize, length] = collated.shape;
  const predictions = masked.maxPredictions;
  const sequenceShape = [batchSize, length];
  const predictionShape = [batchSize, predictions];
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length, predictions },
    fields: {
      inputIds: { dtype: 'int32', shape: sequenceShape, data: masked.inputIds },
      segmentIds: { dtype: 'int32', shape: sequenceShape, data: collated.segmentIds },
      attentionMask: { dtype: 'bool', shape: sequenceShape, data: collated.attentionMask },
      labels: { dtype: 'int32', shape: sequenceShape, data: masked.labels },
      maskedPositions: { dtype: 'int32', shape: predictionShape, data: masked.maskedPositions },
      maskedIds: { dtype: 'int32', shape: predictionShape, data: masked.maskedIds },
      maskedWeights: { dtype: 'float32', shape: predictionShape, data: masked.maskedWeights },
      nextSentenceLabels: { dtype: 'int32', shape: [batchSize], data: collated.nextSentenceLabels },
    },
    counts: { maskedLm: masked.totalPredictions, nextSentence: batchSize },
    maskActions: masked.actions,
  };
}

function checkInputs(
  options: ResolvedBertObjectiveOptions,
  outputs: BertModelOutputs,
  batch: BertBatch,
): void {
  if (
    batch == null ||
    typeof batch !== 'object' ||
    batch.fields == null ||
    Object.keys(BERT_BATCH_FIELDS).some(
      (name) => batch.fields[name as keyof BertBatch['fields']]?.data == null,
    )
  ) {
    throw new InvalidArgumentError({
      functionName: LOSS_FUNCTION,
      argumentName: 'batch',
      expected: `a BertBatch with the fields ${Object.keys(BERT_BATCH_FIELDS).join(', ')}`,
      received: batch,
      fix: 'pass the batch made by this objective’s createBatch.',
    });
  }
  if (outputs == null || typeof outputs !== 'object') {
    throw new InvalidArgumentError({
      functionName: LOSS_FUNCTION,
      argumentName: 'outputs',
      expected: '{ hiddenStates, embeddingTable, pooledOutput? }',
      received: outputs,
      fix: 'pass the encoder’s last hidden states and its input embedding table.',
    });
  }
  const { hiddenSize, vocabularySize } = options;
  const batchSize = batch.size;
  const length = batch.dimensions['sequence'] ?? null;
  checkFloatTensor(
    { functionName: LOSS_FUNCTION, argumentName: 'outputs.hiddenStates' },
    outputs.hiddenStates,
    [batchSize, length, hiddenSize],
    ['batch', 'sequence', 'hidden'],
    'pass the last hidden states of the batch’s inputIds, shape [B, L, hiddenSize].',
  );
  checkFloatTensor(
    { functionName: LOSS_FUNCTION, argumentName: 'outputs.embeddingTable' },
    outputs.embeddingTable,
    [vocabularySize, hiddenSize],
    ['vocabulary', 'hidden'],
    'pass the input token embedding table [V, H] (tied with the masked-LM output layer).',
  );
  if (options.pooler === 'model') {
    checkFloatTensor(
      { functionName: LOSS_FUNCTION, argumentName: 'outputs.pooledOutput' },
      outputs.pooledOutput,
      [batchSize, hiddenSize],
      ['batch', 'hidden'],
      "with pooler: 'model', pass the model's pooled output [B, H]; or use pooler: 'objective'.",
    );
  }
}

/**
 * Creates the BERT pre-training objective (`'bert/mlm-nsp'`): masked LM plus next sentence
 * prediction, $L = L_{\mathrm{mlm}} + L_{\mathrm{nsp}}$.
 *
 * **Data side** (`createBatch(examples, { random })`): pads pair examples (from
 * `createNextSentencePairBuilder`) and masks them; the batch has the dense `labels` and the
 * gathered `maskedPositions`/`maskedIds`/`maskedWeights`, and `counts` for both parts.
 *
 * **Tensor side** (`computeLoss({ outputs: { hiddenStates, embeddingTable }, batch })`):
 * - masked LM, gather first: the hidden states at the masked positions ($B \cdot P$ rows, not
 *   $B \cdot L$), then dense + GELU (tanh) + LayerNorm, then logits against the tied embedding
 *   table plus an output bias, through core's `tokenCrossEntropy` (hidden states + projection):
 *   $L_{\mathrm{mlm}} = \sum_i w_i\,\mathrm{nll}_i / \sum_i w_i$, and 0 (not NaN) with no masked position;
 * - next sentence: $\tanh$ pooler on position 0, a 2-way layer,
 *   $L_{\mathrm{nsp}} = \mathrm{mean}_b\,(-\log p(y_b))$, **label 1 = B is random**;
 * - parts `maskedLm` and `nextSentence` (each with `sum`/`count`), metrics `maskedLmAccuracy` and
 *   `nextSentenceAccuracy`.
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
 * @throws {InvalidArgumentError} for invalid options.
 */
export function createBertObjective(options: BertObjectiveOptions): BertObjective {
  const resolved = resolveOptions(options);
  const masker = createMasker(resolved, options.masking);
  const weights = createBertHeadWeights({
    vocabularySize: resolved.vocabularySize,
    hiddenSize: resolved.hiddenSize,
    initializerRange: resolved.initializerRange,
    ownPooler: resolved.pooler === 'objective',
    seed: resolved.seed,
  });
  const trainable = Object.freeze(listHeadWeights(weights));
  let disposed = false;
  const objective = defineObjective<BertPairExample, BertBatch, BertModelOutputs, BertPartName>({
    objectiveId: BERT_OBJECTIVE_ID,
    description:
      'BERT pre-training: masked language modelling with a gather-first head tied to the input embeddings, plus next sentence prediction.',
    partNames: ['maskedLm', 'nextSentence'],
    batchFields: BERT_BATCH_FIELDS,
    createBatch: (examples, batchOptions) =>
      createBertBatch(resolved, masker, examples, batchOptions),
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
      checkInputs(resolved, outputs, batch);
      const fields = batch.fields;
      return tf.tidy(() => {
        const maskedLm = maskedLmHead(
          outputs.hiddenStates,
          outputs.embeddingTable,
          weights.maskedLm,
          {
            maskedPositions: fields.maskedPositions.data,
            maskedIds: fields.maskedIds.data,
            maskedWeights: fields.maskedWeights.data,
            labels: fields.labels.data,
          },
          {
            scoring: resolved.maskedLmScoring,
            layerNormEpsilon: resolved.layerNormEpsilon,
            numItemsInBatch: numItemsInBatch?.['maskedLm'],
            metrics: resolved.metrics,
          },
        );
        const nextSentence = nextSentenceHead(
          outputs.hiddenStates,
          resolved.pooler === 'model' ? outputs.pooledOutput : undefined,
          weights.nextSentence,
          fields.nextSentenceLabels.data,
          { numItemsInBatch: numItemsInBatch?.['nextSentence'], metrics: resolved.metrics },
        );
        const metrics: Record<string, tf.Scalar> = {};
        if (maskedLm.accuracy) metrics['maskedLmAccuracy'] = maskedLm.accuracy;
        if (nextSentence.accuracy) metrics['nextSentenceAccuracy'] = nextSentence.accuracy;
        const result: ObjectiveLossResult<BertPartName> = {
          loss: tf.add(maskedLm.part.loss, nextSentence.part.loss) as tf.Scalar,
          parts: { maskedLm: maskedLm.part, nextSentence: nextSentence.part },
          metrics,
        };
        return result as unknown as tf.TensorContainer;
      }) as unknown as ObjectiveLossResult<BertPartName>;
    },
    trainableWeights: () => trainable,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const weight of trainable) weight.dispose();
    },
  });
  return Object.freeze({ ...objective, weights, masker, options: resolved });
}
