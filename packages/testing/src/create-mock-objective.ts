import {
  type BatchField,
  checkNumberInRange,
  createRng,
  defineObjective,
  IGNORE_INDEX,
  InvalidArgumentError,
  type LogitScores,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMockLossInputs } from './internal/check-mock-loss-inputs';

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
  /** Probability that an ordinary position is masked. Default 0.4. */
  readonly maskRate?: number;
  /** Seed of the objective's own weight. Default 0. */
  readonly seed?: number;
}

/** The mock objective: the v1 contract plus its one weight. */
export interface MockObjective
  extends LossObjectiveV1<readonly number[], MockBatch, LogitScores, 'maskedToken'> {
  /** float32 `[V]`, added to every logit row: a weight the objective owns. */
  readonly logitBias: tf.Variable;
}

let instances = 0;

/**
 * A small, correct objective to try the conformance suite and tools on, and to build broken
 * variants of in tests: masked-token prediction. The data side masks each ordinary position with
 * probability `maskRate` (drawn from `options.random`); the tensor side scores the masked positions,
 * $L = \sum_{t \in M} -\log \mathrm{softmax}(z_t + \beta)_{y_t} / |M|$, where $\beta$ is the
 * objective's own `logitBias` weight. One part, `maskedToken`; metrics `accuracy` and `maskRatio`.
 */
export function createMockObjective(options: MockObjectiveOptions = {}): MockObjective {
  const functionName = 'createMockObjective';
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const vocabularySize = checkNumberInRange(
    site('vocabularySize'),
    options.vocabularySize ?? 16,
    { min: 3, integer: true },
    'pass at least 3 (pad, mask, one ordinary token).',
  );
  const padTokenId = checkNumberInRange(
    site('padTokenId'),
    options.padTokenId ?? 0,
    { min: 0, max: vocabularySize - 1, integer: true },
    'pass an id in the vocabulary.',
  );
  const maskTokenId = checkNumberInRange(
    site('maskTokenId'),
    options.maskTokenId ?? 1,
    { min: 0, max: vocabularySize - 1, integer: true },
    'pass an id in the vocabulary.',
  );
  const maskRate = checkNumberInRange(
    site('maskRate'),
    options.maskRate ?? 0.4,
    { min: 0, max: 1 },
    'pass a probability.',
  );
  const seed = checkNumberInRange(
    site('seed'),
    options.seed ?? 0,
    { min: 0, integer: true },
    'pass a non-negative integer.',
  );
  const random = createRng(seed);
  const initialBias = Float32Array.from({ length: vocabularySize }, () => random.normal(0, 0.5));
  const logitBias = tf.tidy(() =>
    tf.variable(tf.tensor1d(initialBias), true, `mock-objective-${++instances}/logitBias`),
  );
  const batchFunction = `${MOCK_OBJECTIVE_ID} createBatch`;
  const lossFunction = `${MOCK_OBJECTIVE_ID} computeLoss`;

  const objective = defineObjective<readonly number[], MockBatch, LogitScores, 'maskedToken'>({
    objectiveId: MOCK_OBJECTIVE_ID,
    description: 'Mock masked-token prediction, for trying the conformance suite and tools.',
    partNames: ['maskedToken'],
    batchFields: {
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
    },
    createBatch(examples, { random: source }) {
      if (!Array.isArray(examples) || examples.length === 0) {
        throw new InvalidArgumentError({
          functionName: batchFunction,
          argumentName: 'examples',
          expected: 'a non-empty array of token-id arrays',
          received: examples,
          fix: 'pass at least one tokenized example.',
        });
      }
      examples.forEach((example, row) => {
        const bad = Array.isArray(example)
          ? example.findIndex((id) => !(Number.isInteger(id) && id >= 0 && id < vocabularySize))
          : 0;
        if (bad >= 0) {
          throw new InvalidArgumentError({
            functionName: batchFunction,
            argumentName: `examples[${row}]${Array.isArray(example) ? `[${bad}]` : ''}`,
            expected: `token ids in [0, ${vocabularySize})`,
            received: Array.isArray(example) ? example[bad] : example,
            fix: 'tokenize with a vocabulary of vocabularySize ids.',
          });
        }
      });
      const size = examples.length;
      const sequence = Math.max(1, ...examples.map((example) => example.length));
      const inputIds = new Int32Array(size * sequence).fill(padTokenId);
      const labels = new Int32Array(size * sequence).fill(IGNORE_INDEX);
      const attentionMask = new Uint8Array(size * sequence);
      let masked = 0;
      examples.forEach((example, row) => {
        example.forEach((id: number, position: number) => {
          const at = row * sequence + position;
          attentionMask[at] = 1;
          inputIds[at] = id;
          if (id !== padTokenId && id !== maskTokenId && source.bernoulli(maskRate)) {
            inputIds[at] = maskTokenId;
            labels[at] = id;
            masked++;
          }
        });
      });
      const shape = [size, sequence];
      return {
        size,
        dimensions: { batch: size, sequence },
        fields: {
          inputIds: { dtype: 'int32', shape, data: inputIds },
          labels: { dtype: 'int32', shape, data: labels },
          attentionMask: { dtype: 'bool', shape, data: attentionMask },
        },
        counts: { maskedToken: masked },
      };
    },
    computeLoss({ outputs, batch, numItemsInBatch }) {
      const logits = checkMockLossInputs(lossFunction, outputs, batch, vocabularySize);
      const normaliser = numItemsInBatch?.['maskedToken'];
      const labels = batch.fields.labels.data;
      return tf.tidy(() => {
        const biased = tf.add(logits, logitBias);
        const maskedToken = tokenCrossEntropy(
          { logits: biased },
          labels,
          normaliser === undefined ? {} : { numItemsInBatch: normaliser },
        );
        const { accuracy } = tokenAccuracy(biased, labels);
        const maskRatio = tf.scalar(
          batch.counts.maskedToken /
            Math.max(
              1,
              batch.fields.attentionMask.data.reduce((sum, bit) => sum + bit, 0),
            ),
        );
        return {
          loss: maskedToken.loss,
          parts: { maskedToken },
          metrics: { accuracy, maskRatio },
        } as unknown as tf.TensorContainer;
      }) as never;
    },
    explainBatch(batch) {
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
    },
    trainableWeights: () => [logitBias],
    dispose: () => logitBias.dispose(),
  });
  return Object.freeze({ ...objective, logitBias });
}
