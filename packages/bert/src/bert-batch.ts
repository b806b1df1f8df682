import type { BatchField, BatchFieldSpec, ObjectiveBatchV1 } from '@lm-objectives/core';

/** The fields of a {@link BertBatch}. */
export type BertFieldName =
  | 'inputIds'
  | 'tokenTypeIds'
  | 'attentionMask'
  | 'labels'
  | 'maskedPositions'
  | 'maskedIds'
  | 'maskedWeights'
  | 'scoredPositions'
  | 'scoredLabels'
  | 'nextSentenceLabels';

/** The loss parts of the BERT objective. */
export type BertPartName = 'maskedLm' | 'nextSentence';

/**
 * A model-ready BERT batch (typed arrays, no tensors). Dimensions: `batch` $B$, `sequence` $L$,
 * `predictions` $P$ (the width of the gathered form) and `scored` (the masked positions of the
 * whole batch). Counts: `maskedLm` = `scored`, `nextSentence` = $B$.
 *
 * The masked-LM loss reads `scoredPositions`/`scoredLabels` only; the gathered `[B, P]` form and
 * the dense `labels` are there for users and inspectors.
 */
export interface BertBatch extends ObjectiveBatchV1<BertFieldName, BertPartName> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly tokenTypeIds: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
    readonly labels: BatchField<'int32'>;
    readonly maskedPositions: BatchField<'int32'>;
    readonly maskedIds: BatchField<'int32'>;
    readonly maskedWeights: BatchField<'float32'>;
    readonly scoredPositions: BatchField<'int32'>;
    readonly scoredLabels: BatchField<'int32'>;
    readonly nextSentenceLabels: BatchField<'int32'>;
  };
  /** `[B, L]`: what the masker did at each position (a `MASK_ACTION` code), for inspection. */
  readonly maskActions: Uint8Array;
}

const ROW = ['batch', 'sequence'];
const GATHERED = ['batch', 'predictions'];

/** The declaration of every {@link BertBatch} field. */
export const BERT_BATCH_FIELDS: Readonly<Record<BertFieldName, BatchFieldSpec>> = Object.freeze({
  inputIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      '[CLS] A [SEP] B [SEP] after masking ([MASK], random or kept at selected positions), right-padded with [PAD]',
  },
  tokenTypeIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'token type (segment) ids: 0 for [CLS], A and the first [SEP]; 1 for B and the final [SEP]; 0 for padding',
  },
  attentionMask: {
    dtype: 'bool',
    dimensions: ROW,
    description: '1 for a real token, 0 for padding',
  },
  labels: {
    dtype: 'int32',
    dimensions: ROW,
    description: 'dense masked-LM labels: the original id at selected positions, -100 elsewhere',
  },
  maskedPositions: {
    dtype: 'int32',
    dimensions: GATHERED,
    description: 'selected positions of each row in increasing order, padded with 0',
  },
  maskedIds: {
    dtype: 'int32',
    dimensions: GATHERED,
    description: 'the original ids at maskedPositions, padded with 0',
  },
  maskedWeights: {
    dtype: 'float32',
    dimensions: GATHERED,
    description: '1 for a real prediction, 0 for a padded slot',
  },
  scoredPositions: {
    dtype: 'int32',
    dimensions: ['scored'],
    description:
      'every selected position as a flat index b·L + t into the [batch, sequence] rows, row by row in increasing order: the rows the masked-LM loss gathers',
  },
  scoredLabels: {
    dtype: 'int32',
    dimensions: ['scored'],
    description: 'the original id at each of scoredPositions: what the masked-LM loss predicts',
  },
  nextSentenceLabels: {
    dtype: 'int32',
    dimensions: ['batch'],
    description:
      'next sentence prediction label: 1 = B is random (NotNext), 0 = B follows A (IsNext)',
  },
});
