import {
  type BatchField,
  checkNumberInRange,
  checkOptionKeys,
  checkTokenIdRows,
  defineObjective,
  IGNORE_INDEX,
  type LogitScores,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
  type TokenExplanation,
  tidyResult,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import { checkMockLossInputs } from './internal/check-mock-loss-inputs';
import { mockBatch } from './internal/mock-batch';

/** The id of {@link createMockNextTokenObjective}. */
export const MOCK_NEXT_TOKEN_OBJECTIVE_ID = 'mock/next-token';

/** A batch of the next-token mock: `[batch, sequence]` arrays, rows right-padded. */
export interface MockNextTokenBatch
  extends ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', 'nextToken'> {
  readonly fields: {
    /** int32 `[batch, sequence]`: the token ids, `padTokenId` after each row's end. */
    readonly inputIds: BatchField<'int32'>;
    /** The ids themselves (the loss shifts them), −100 on padding. */
    readonly labels: BatchField<'int32'>;
    /** bool `[batch, sequence]`: 1 on real tokens, 0 on padding. */
    readonly attentionMask: BatchField<'bool'>;
  };
}

/** Options of {@link createMockNextTokenObjective}. */
export interface MockNextTokenObjectiveOptions {
  /** $V$. Default 16. */
  readonly vocabularySize?: number;
  /** The id written on padding. Default 0. */
  readonly padTokenId?: number;
}

/** The next-token mock: a `LossObjective` v1 without weights of its own. */
export type MockNextTokenObjective = LossObjectiveV1<
  ArrayLike<number>,
  MockNextTokenBatch,
  LogitScores,
  'nextToken'
>;

/** Pads the examples into a batch; every real token after the first is a target. */
function padExamples(
  examples: readonly ArrayLike<number>[],
  padTokenId: number,
): MockNextTokenBatch {
  const size = examples.length;
  const sequence = Math.max(...examples.map((example) => example.length));
  const inputIds = new Int32Array(size * sequence).fill(padTokenId);
  const labels = new Int32Array(size * sequence).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(size * sequence);
  let targets = 0;
  examples.forEach((example, row) => {
    inputIds.set(example, row * sequence);
    labels.set(example, row * sequence);
    attentionMask.fill(1, row * sequence, row * sequence + example.length);
    targets += example.length - 1;
  });
  return mockBatch(size, sequence, { inputIds, labels, attentionMask }, { nextToken: targets });
}

/** Position $t$ of a row: its input id, and the next token as the label while one follows. */
function explainPosition(
  batch: MockNextTokenBatch,
  row: number,
  position: number,
): TokenExplanation {
  const sequence = batch.dimensions['sequence']!;
  const at = row * sequence + position;
  const next = position + 1 < sequence ? batch.fields.labels.data[at + 1]! : IGNORE_INDEX;
  const real = batch.fields.attentionMask.data[at] === 1;
  const scored = real && next !== IGNORE_INDEX;
  return {
    inputId: batch.fields.inputIds.data[at]!,
    label: scored ? next : null,
    weight: scored ? 1 : 0,
    ...(scored ? { part: 'nextToken' } : {}),
    action: real ? 'context' : 'padding',
  };
}

/**
 * A small, correct causal objective for trying trainers and tools: next-token prediction. The
 * data side right-pads the examples (`padTokenId`) and labels every real token with itself (−100 on
 * padding); the tensor side shifts, $L = \sum_{t} -\log \mathrm{softmax}(z_t)_{x_{t+1}} / N$ over
 * the positions whose next token is real, with $N$ = `numItemsInBatch` (default: this batch's
 * $\sum_r (\ell_r - 1)$). One part, `nextToken`; metric `accuracy`. No weights of its own.
 */
export function createMockNextTokenObjective(
  options: MockNextTokenObjectiveOptions = {},
): MockNextTokenObjective {
  const functionName = 'createMockNextTokenObjective';
  checkOptionKeys(functionName, options, ['vocabularySize', 'padTokenId']);
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const vocabularySize = checkNumberInRange(
    site('vocabularySize'),
    options.vocabularySize ?? 16,
    { min: 2, integer: true },
    'pass at least 2.',
  );
  const padTokenId = checkNumberInRange(
    site('padTokenId'),
    options.padTokenId ?? 0,
    { min: 0, max: vocabularySize - 1, integer: true },
    'pass an id in the vocabulary.',
  );
  const lossFunction = `${MOCK_NEXT_TOKEN_OBJECTIVE_ID} computeLoss`;
  return defineObjective<ArrayLike<number>, MockNextTokenBatch, LogitScores, 'nextToken'>({
    objectiveId: MOCK_NEXT_TOKEN_OBJECTIVE_ID,
    description: 'Mock next-token prediction, for trying trainers and tools.',
    partNames: ['nextToken'],
    batchFields: {
      inputIds: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: 'token ids, right-padded',
      },
      labels: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: `the ids (the loss shifts them), ${IGNORE_INDEX} on padding`,
      },
      attentionMask: {
        dtype: 'bool',
        dimensions: ['batch', 'sequence'],
        description: '1 on real tokens',
      },
    },
    createBatch(examples) {
      const rows = checkTokenIdRows(
        { functionName: `${MOCK_NEXT_TOKEN_OBJECTIVE_ID} createBatch`, argumentName: 'examples' },
        examples,
        { vocabularySize, minLength: 1, minRows: 1 },
      );
      return padExamples(rows, padTokenId);
    },
    computeLoss({ outputs, batch, numItemsInBatch }) {
      const logits = checkMockLossInputs(lossFunction, outputs, batch, vocabularySize);
      const normaliser = numItemsInBatch?.['nextToken'];
      const labels = batch.fields.labels.data;
      return tidyResult(() => {
        const nextToken = tokenCrossEntropy({ logits }, labels, {
          shift: true,
          ...(normaliser === undefined ? {} : { numItemsInBatch: normaliser }),
        });
        const { accuracy } = tokenAccuracy(logits, labels, { shift: true });
        return { loss: nextToken.loss, parts: { nextToken }, metrics: { accuracy } };
      });
    },
    explainBatch(batch) {
      const sequence = batch.dimensions['sequence']!;
      return {
        rows: Array.from({ length: batch.size }, (_, row) => ({
          tokens: Array.from({ length: sequence }, (_, position) =>
            explainPosition(batch, row, position),
          ),
        })),
      };
    },
    trainableWeights: () => [],
  });
}
