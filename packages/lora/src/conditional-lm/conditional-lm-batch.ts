import {
  type BatchField,
  type BatchFieldSpec,
  IGNORE_INDEX,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';

/** The names of the fields of a {@link ConditionalLmBatch}. */
export type ConditionalLmFieldName =
  | 'inputIds'
  | 'labels'
  | 'attentionMask'
  | 'positionIds'
  | 'exampleIds'
  | 'scoredPositions'
  | 'scoredLabels';

/** The one loss part of the conditional objective. */
export type ConditionalLmPartName = 'conditionalLm';

/**
 * What a position of a conditional batch holds, in core's `TokenAction` words, as the codes of
 * {@link ConditionalLmBatch.tokenActions}: `padding`; `prompt` (the context $x$, or a chat turn
 * that is context); `completion` (the target $y$, or an assistant turn the strategy targets);
 * `special` (the appended EOS).
 */
export const CONDITIONAL_TOKEN_ACTION = Object.freeze({
  padding: 0,
  prompt: 1,
  completion: 2,
  special: 3,
} as const);

/** The words of {@link CONDITIONAL_TOKEN_ACTION}. */
export type ConditionalTokenAction = keyof typeof CONDITIONAL_TOKEN_ACTION;

/** Where an example sits in a batch row. */
export interface RowExample {
  /** The index of the example in the `examples` given to `createBatch`. */
  readonly example: number;
  /** Its first position in the row. */
  readonly start: number;
  /** Its length (after truncation). */
  readonly length: number;
}

/**
 * A batch of the conditional objective: rows `[batch, sequence]`, right-padded, and the flat
 * scored positions `[scored]` the loss gathers (see {@link CONDITIONAL_LM_BATCH_FIELDS}).
 * `counts.conditionalLm` = `scored`, the number of scored tokens.
 */
export interface ConditionalLmBatch
  extends ObjectiveBatchV1<ConditionalLmFieldName, ConditionalLmPartName> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
    readonly positionIds: BatchField<'int32'>;
    readonly exampleIds: BatchField<'int32'>;
    readonly scoredPositions: BatchField<'int32'>;
    readonly scoredLabels: BatchField<'int32'>;
  };
  /** What each position holds, row-major `[batch, sequence]`: {@link CONDITIONAL_TOKEN_ACTION} codes (for inspectors; the model never reads it). */
  readonly tokenActions: Uint8Array;
  /** How many examples were dropped because truncation left them nothing to score. */
  readonly dropped: number;
  /** The indices of the dropped examples. */
  readonly droppedExamples: readonly number[];
  /** How many examples were truncated (dropped ones included). */
  readonly truncated: number;
  /** Per row, the examples it holds (one unless packing), in order; `exampleIds` numbers them from 1. */
  readonly rows: readonly (readonly RowExample[])[];
}

const ROW = ['batch', 'sequence'];
const SCORED = ['scored'];

/**
 * The declaration of every {@link ConditionalLmBatch} field. The scored fields hold, for every
 * label $y_{t+1} \ne -100$, the flat index $b \cdot L + t$ of the position whose hidden state
 * predicts it (the causal shift, done once on the data side) and the label itself.
 */
export const CONDITIONAL_LM_BATCH_FIELDS: Readonly<Record<ConditionalLmFieldName, BatchFieldSpec>> =
  Object.freeze({
    inputIds: {
      dtype: 'int32',
      dimensions: ROW,
      description: 'token ids: prompt, completion, EOS; right-padded with padTokenId',
    },
    labels: {
      dtype: 'int32',
      dimensions: ROW,
      description: `ids at scored positions, ${IGNORE_INDEX} elsewhere (aligned with the inputs: position t+1's label is predicted at t)`,
    },
    attentionMask: {
      dtype: 'bool',
      dimensions: ROW,
      description: '1 for a real token, 0 for padding',
    },
    positionIds: {
      dtype: 'int32',
      dimensions: ROW,
      description: 'position within the example (restarts at 0 for each packed example)',
    },
    exampleIds: {
      dtype: 'int32',
      dimensions: ROW,
      description:
        'which packed example of the row (1, 2, …), 0 at padding: attend within an example only',
    },
    scoredPositions: {
      dtype: 'int32',
      dimensions: SCORED,
      description:
        'flat index b·sequence + t of each position whose output predicts a scored token (after the causal shift)',
    },
    scoredLabels: {
      dtype: 'int32',
      dimensions: SCORED,
      description: 'the token each scored position must predict',
    },
  });
