import type { BatchField, ObjectiveBatchV1 } from '@lm-objectives/core';

/** The names of the fields of a {@link ConditionalLmBatch}. */
export type ConditionalLmFieldName =
  | 'inputIds'
  | 'labels'
  | 'attentionMask'
  | 'positionIds'
  | 'segmentIds';

/** The one loss part of the conditional objective. */
export type ConditionalLmPartName = 'conditionalLm';

/** Where an example sits in a batch row. */
export interface RowSegment {
  /** The index of the example in the `examples` given to `createBatch`. */
  readonly example: number;
  /** Its first position in the row. */
  readonly start: number;
  /** Its length (after truncation). */
  readonly length: number;
}

/**
 * A batch of the conditional objective: right-padded rows `[batch, sequence]` of
 * - `inputIds` (int32; padding is `padTokenId`),
 * - `labels` (int32, aligned with the inputs; −100 where not scored; the loss shifts them),
 * - `attentionMask` (bool; 1 for a real token),
 * - `positionIds` (int32; restart at 0 for every packed example, 0 at padding),
 * - `segmentIds` (int32; 1, 2, … for the examples of a row, 0 at padding: attend only within a
 *   segment, e.g. with `segmentCausalAttentionBias`).
 */
export interface ConditionalLmBatch
  extends ObjectiveBatchV1<ConditionalLmFieldName, ConditionalLmPartName> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
    readonly positionIds: BatchField<'int32'>;
    readonly segmentIds: BatchField<'int32'>;
  };
  /** How many examples were dropped because truncation left them nothing to score. */
  readonly dropped: number;
  /** The indices of the dropped examples. */
  readonly droppedExamples: readonly number[];
  /** How many examples were truncated (dropped ones included). */
  readonly truncated: number;
  /** Per row, the examples it holds (one unless packing). */
  readonly rows: readonly (readonly RowSegment[])[];
}
