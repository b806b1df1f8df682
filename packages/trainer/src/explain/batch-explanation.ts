import type {
  ObjectiveBatchExplanation,
  ObjectiveBatchV1,
  TokenExplanation,
} from '@lm-objectives/core';

export type {
  ObjectiveBatchExplanation,
  RowExplanation,
  TokenAction,
  TokenExplanation,
} from '@lm-objectives/core';

/**
 * The optional member this package reads from an objective: `LossObjectiveV1.explainBatch`;
 * `explainBatch` falls back to the batch's declared fields when an objective does not have it.
 *
 * @typeParam Batch the objective's batch type.
 */
export type ExplainableObjective<Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> = {
  /** The objective's own per-position account of a batch (see `LossObjectiveV1.explainBatch`). */
  explainBatch?(batch: Batch): ObjectiveBatchExplanation;
};

/** A position as {@link explainBatch} returns it: the objective's facts plus the decoded token. */
export interface ExplainedToken extends TokenExplanation {
  /** Index in the row. */
  readonly index: number;
  /** `decode(inputId)` when a decoder was given. */
  readonly token?: string;
  /** Other per-position fields of the batch, by field name (fallback only). */
  readonly fields?: Readonly<Record<string, number>>;
}

/** A row as {@link explainBatch} returns it. */
export interface ExplainedRow {
  readonly row: number;
  readonly tokens: readonly ExplainedToken[];
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

/** The result of {@link explainBatch}: plain data for a web view, or text via `formatBatchExplanation`. */
export interface BatchExplanation {
  readonly objectiveId: string;
  /** `'objective'` when the objective's `explainBatch` hook produced it; `'fields'` when inferred from the declared fields. */
  readonly source: 'objective' | 'fields';
  readonly rows: readonly ExplainedRow[];
}
