import {
  type BatchField,
  checkDistinctTokenIds,
  checkInteger,
  checkOptionKeys,
  checkProbability,
  checkTokenId,
  checkTokenIdRows,
  createRng,
  defineObjective,
  IGNORE_INDEX,
  type LogitScores,
  type LossObjectiveV1,
  type ObjectiveBatchExplanation,
  type ObjectiveBatchV1,
  type ObjectiveLossResult,
  type RandomSource,
  tidyResult,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMockLossInputs } from './internal/check-mock-loss-inputs';
import { mockBatch } from './internal/mock-batch';

/** The id of {@link createMockObjective}. */
export const MOCK_OBJECTIVE_ID = 'mock/masked-token';

/** A batch of the mock objective: `[batch, sequence]` arrays. */
export interface MockBatch
  extends ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', 'maskedToken'> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
  };
}

/** Options of {@link createMockObjective}. */
export interface MockObjectiveOptions {
  /** $V$. Default 16. */
  readonly vocabularySize?: number;
  /** Padding id, never masked. Default 0. */
  readonly padTokenId?: number;
  /** The `[MASK]` id written at masked positions, never masked itself. Default 1. */
  readonly maskTokenId?: number;
  /** The chance that an ordinary position is masked (one draw per position). Default 0.4. */
  readonly maskProbability?: number;
  /** Seed of the objective's own weight. Default 0. */
  readonly seed?: number;
}

/** The mock objective: the v1 contract plus its one weight. */
export interface MockObjective
  extends LossObjectiveV1<readonly number[], MockBatch, LogitScores, 'maskedToken'> {
  /** float32 `[V]`, added to every logit row: a weight the objective owns. */
  readonly logitBias: tf.Variable;
}

/** {@link MockObjectiveOptions} with every default filled in. */
interface ResolvedMockOptions {
  readonly vocabularySize: number;
  readonly padTokenId: number;
  readonly maskTokenId: number;
  readonly maskProbability: number;
  readonly seed: number;
}

const FUNCTION_NAME = 'createMockObjective';
const BATCH_FUNCTION = `${MOCK_OBJECTIVE_ID} createBatch`;
const LOSS_FUNCTION = `${MOCK_OBJECTIVE_ID} computeLoss`;

const MOCK_BATCH_FIELDS = {
  inputIds: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description: 'ids with masked positions replaced by [MASK], right-padded',
  },
  labels: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description: `the original id at masked positions, ${IGNORE_INDEX} elsewhere`,
  },
  attentionMask: {
    dtype: 'bool',
    dimensions: ['batch', 'sequence'],
    description: '1 for a real token, 0 for padding',
  },
} as const;

let instances = 0;

function resolveMockOptions(options: MockObjectiveOptions): ResolvedMockOptions {
  checkOptionKeys(FUNCTION_NAME, options, [
    'vocabularySize',
    'padTokenId',
    'maskTokenId',
    'maskProbability',
    'seed',
  ]);
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const given: MockObjectiveOptions = options ?? {};
  const vocabularySize = checkInteger(
    site('vocabularySize'),
    given.vocabularySize,
    { min: 3 },
    'pass at least 3 (pad, mask, one ordinary token).',
    16,
  );
  const padTokenId = checkTokenId(
    site('padTokenId'),
    given.padTokenId,
    { vocabularySize, tokenName: '[PAD]' },
    0,
  );
  const maskTokenId = checkTokenId(
    site('maskTokenId'),
    given.maskTokenId,
    { vocabularySize, tokenName: '[MASK]' },
    1,
  );
  checkDistinctTokenIds(FUNCTION_NAME, { padTokenId, maskTokenId });
  return {
    vocabularySize,
    padTokenId,
    maskTokenId,
    maskProbability: checkProbability(site('maskProbability'), given.maskProbability, 0.4),
    seed: checkInteger(site('seed'), given.seed, { min: 0 }, 'pass a non-negative integer.', 0),
  };
}

/** The data side: pads the rows and masks each ordinary token with probability `maskProbability`. */
function createMockBatch(
  examples: unknown,
  options: ResolvedMockOptions,
  random: RandomSource,
): MockBatch {
  const rows = checkTokenIdRows(
    { functionName: BATCH_FUNCTION, argumentName: 'examples' },
    examples,
    {
      vocabularySize: options.vocabularySize,
      minRows: 1,
    },
  );
  const { padTokenId, maskTokenId, maskProbability } = options;
  const size = rows.length;
  const sequence = Math.max(1, ...rows.map((row) => row.length));
  const inputIds = new Int32Array(size * sequence).fill(padTokenId);
  const labels = new Int32Array(size * sequence).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(size * sequence);
  let masked = 0;
  rows.forEach((row, rowIndex) => {
    row.forEach((id, position) => {
      const at = rowIndex * sequence + position;
      attentionMask[at] = 1;
      inputIds[at] = id;
      if (id !== padTokenId && id !== maskTokenId && random.bernoulli(maskProbability)) {
        inputIds[at] = maskTokenId;
        labels[at] = id;
        masked++;
      }
    });
  });
  return mockBatch(size, sequence, { inputIds, labels, attentionMask }, { maskedToken: masked });
}

/** The tensor side: the masked-token cross-entropy of the logits plus the objective's bias. */
function mockLoss(
  outputs: unknown,
  batch: MockBatch,
  numItemsInBatch: Readonly<Record<string, number>> | undefined,
  logitBias: tf.Variable,
): ObjectiveLossResult<'maskedToken'> {
  const logits = checkMockLossInputs(LOSS_FUNCTION, outputs, batch, logitBias.shape[0]!);
  const normaliser = numItemsInBatch?.['maskedToken'];
  const labels = batch.fields.labels.data;
  const realTokens = batch.fields.attentionMask.data.reduce((sum, bit) => sum + bit, 0);
  return tidyResult(() => {
    const biased = tf.add(logits, logitBias);
    const maskedToken = tokenCrossEntropy(
      { logits: biased },
      labels,
      normaliser === undefined ? {} : { numItemsInBatch: normaliser },
    );
    const { accuracy } = tokenAccuracy(biased, labels);
    const maskRatio = tf.scalar(batch.counts.maskedToken / Math.max(1, realTokens));
    return { loss: maskedToken.loss, parts: { maskedToken }, metrics: { accuracy, maskRatio } };
  });
}

/** Every position of the batch: masked positions scored (`'masked'`), the rest context or padding. */
function explainMockBatch(batch: MockBatch): ObjectiveBatchExplanation {
  const { inputIds, labels, attentionMask } = batch.fields;
  const sequence = batch.dimensions['sequence']!;
  return {
    rows: Array.from({ length: batch.size }, (_, row) => ({
      tokens: Array.from({ length: sequence }, (_, position) => {
        const at = row * sequence + position;
        const label = labels.data[at]!;
        const scored = label !== IGNORE_INDEX;
        return {
          inputId: inputIds.data[at]!,
          label: scored ? label : null,
          weight: scored ? 1 : 0,
          ...(scored ? { part: 'maskedToken', originalId: label } : {}),
          action: scored ? 'masked' : attentionMask.data[at] ? 'context' : 'padding',
        };
      }),
    })),
  };
}

/**
 * A small, correct objective to try the conformance suite and tools on, and to build broken
 * variants of in tests: masked-token prediction. The data side masks each ordinary position with
 * probability `maskProbability` (drawn from `options.random`); the tensor side scores the masked
 * positions, $L = \sum_{t \in M} -\log \mathrm{softmax}(z_t + \beta)_{y_t} / |M|$, where $\beta$ is
 * the objective's own `logitBias` weight. One part, `maskedToken`; metrics `accuracy` and
 * `maskRatio`; `explainBatch` marks masked positions `'masked'`.
 */
export function createMockObjective(options: MockObjectiveOptions = {}): MockObjective {
  const resolved = resolveMockOptions(options);
  const random = createRng(resolved.seed);
  const initialBias = Float32Array.from({ length: resolved.vocabularySize }, () =>
    random.normal(0, 0.5),
  );
  const logitBias = tf.tidy(() =>
    tf.variable(tf.tensor1d(initialBias), true, `mock-objective-${++instances}/logitBias`),
  );
  const objective = defineObjective<readonly number[], MockBatch, LogitScores, 'maskedToken'>({
    objectiveId: MOCK_OBJECTIVE_ID,
    description: 'Mock masked-token prediction, for trying the conformance suite and tools.',
    partNames: ['maskedToken'],
    batchFields: MOCK_BATCH_FIELDS,
    createBatch: (examples, { random: source }) => createMockBatch(examples, resolved, source),
    computeLoss: ({ outputs, batch, numItemsInBatch }) =>
      mockLoss(outputs, batch, numItemsInBatch, logitBias),
    explainBatch: explainMockBatch,
    trainableWeights: () => [logitBias],
    dispose: () => logitBias.dispose(),
  });
  return Object.freeze({ ...objective, logitBias });
}
