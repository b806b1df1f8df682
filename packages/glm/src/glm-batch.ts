import type { BatchField, BatchFieldSpec, ObjectiveBatchV1 } from '@lm-objectives/core';
import type { GlmMode, GlmSample } from './glm-sample';

/** The names of a GLM batch's fields. */
export type GlmFieldName =
  | 'inputIds'
  | 'targets'
  | 'labels'
  | 'lossMask'
  | 'positionIds'
  | 'blockPositionIds'
  | 'separators'
  | 'lengths'
  | 'modes'
  | 'textLengths'
  | 'blankedCounts'
  | 'spanCounts'
  | 'scoredPositions'
  | 'scoredLabels'
  | 'scoredParts';

const ROW = ['batch', 'sequence'] as const;
const PER_SAMPLE = ['batch'] as const;
const SCORED = ['scored'] as const;

/**
 * The declaration of every field of a {@link GlmBatch}: dtype, named dimensions, meaning. The
 * dimensions are `batch` (rows), `sequence` (the padded length $L$) and `scored` (the Part B
 * tokens of the whole batch, $S = \sum_m$ `counts[m]`).
 */
export const GLM_BATCH_FIELDS: Readonly<Record<GlmFieldName, BatchFieldSpec>> = Object.freeze({
  inputIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'model input: Part A (text with one mask token per blank) then Part B ([sop] + span per blank); right-padded with the pad id',
  },
  targets: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'aligned targets (no shift): Part A copies its tokens, Part B holds span + [eop]; padded with the pad id',
  },
  labels: {
    dtype: 'int32',
    dimensions: ROW,
    description: 'targets where lossMask is 1, the ignore index −100 elsewhere',
  },
  lossMask: {
    dtype: 'float32',
    dimensions: ROW,
    description: '1 on Part B, 0 on Part A and padding',
  },
  positionIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      "first position row, 0-based ([CLS] = 0): Part A's own index; in Part B, the position of the span's mask token; 0 in padding",
  },
  blockPositionIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'second position row: 0 in Part A, 1, 2, … along each Part B segment; 0 in padding',
  },
  separators: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'sep = len(Part A) per row: query i attends key j iff j < sep or j ≤ i',
  },
  lengths: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'unpadded length of each row (Part A + Part B)',
  },
  modes: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description:
      'corruption mode per row: 0 token spans ([MASK]), 1 sentences ([sMASK]), 2 document suffix ([gMASK])',
  },
  textLengths: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'n: the length of each text including [CLS], before blanking',
  },
  blankedCounts: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'tokens blanked per row',
  },
  spanCounts: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'blanks (spans, sentences or the one suffix) per row',
  },
  scoredPositions: {
    dtype: 'int32',
    dimensions: SCORED,
    description:
      'flat index b·L + t of every Part B position, grouped by part (span, sentence, document) and row-major within a part: what the loss scores',
  },
  scoredLabels: {
    dtype: 'int32',
    dimensions: SCORED,
    description: 'the target of each scored position (targets[b, t] at scoredPositions)',
  },
  scoredParts: {
    dtype: 'int32',
    dimensions: SCORED,
    description:
      'the part of each scored position, its row mode: 0 span, 1 sentence, 2 document (non-decreasing)',
  },
});

/**
 * A model-ready batch of GLM samples, right-padded to a common length. `counts` holds the Part B
 * tokens of each mode (the `count` of each loss part); `samples` keeps the unpadded samples for
 * inspection.
 *
 * The scored fields are the loss's whole input besides the model's outputs: the
 * $S = \sum_m \mathrm{counts}_m$ Part B positions as flat row indices, their targets and their
 * parts, grouped so that part $m$ occupies entries
 * $[\sum_{m' < m} \mathrm{counts}_{m'}, \sum_{m' \le m} \mathrm{counts}_{m'})$ in the order of
 * `GLM_MODES`.
 */
export interface GlmBatch extends ObjectiveBatchV1<GlmFieldName, GlmMode> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly targets: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly lossMask: BatchField<'float32'>;
    readonly positionIds: BatchField<'int32'>;
    readonly blockPositionIds: BatchField<'int32'>;
    readonly separators: BatchField<'int32'>;
    readonly lengths: BatchField<'int32'>;
    readonly modes: BatchField<'int32'>;
    readonly textLengths: BatchField<'int32'>;
    readonly blankedCounts: BatchField<'int32'>;
    readonly spanCounts: BatchField<'int32'>;
    readonly scoredPositions: BatchField<'int32'>;
    readonly scoredLabels: BatchField<'int32'>;
    readonly scoredParts: BatchField<'int32'>;
  };
  readonly samples: readonly GlmSample[];
}
