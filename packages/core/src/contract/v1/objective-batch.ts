import type { BatchField } from './batch-field';

/**
 * A model-ready batch made by an objective's data side (`createBatch`). Objectives extend it with
 * typed accessors; these members are what every tool (the trainer, the conformance suite, batch
 * inspectors) can rely on.
 *
 * @typeParam FieldName the names of the batch's fields.
 * @typeParam PartName the names of the loss parts (e.g. `'maskedLm' | 'nextSentence'`).
 */
export interface ObjectiveBatchV1<
  FieldName extends string = string,
  PartName extends string = string,
> {
  /** Number of examples (rows) in the batch. */
  readonly size: number;
  /** The size of each named dimension used by the objective's field declarations, e.g. `{ batch: 8, sequence: 128 }`. */
  readonly dimensions: Readonly<Record<string, number>>;
  /** The arrays: token ids, labels, masks, positions, … as declared by `batchFields`. */
  readonly fields: Readonly<Record<FieldName, BatchField>>;
  /**
   * The number of counted items of each loss part (the `count` its token loss will report, known
   * without tensors). A training loop sums these over a gradient-accumulation window and passes
   * the totals as `numItemsInBatch`, so that the window's gradient equals one big batch's.
   */
  readonly counts: Readonly<Record<PartName, number>>;
}
