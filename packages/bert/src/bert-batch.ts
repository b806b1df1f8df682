import type { BatchField, BatchFieldSpec, ObjectiveBatchV1 } from '@lm-objectives/core';

/** The fields of a {@link BertBatch}. */
export type BertFieldName =
  | 'inputIds'
  | 'segmentIds'
  | 'attentionMask'
  | 'labels'
  | 'maskedPositions'
  | 'maskedIds'
  | 'maskedWeights'
  | 'nextSentenceLabels';

/** The loss parts of the BERT objective. */
export type BertPartName = 'maskedLm' | 'nextSentence';

/**
 * A model-ready BERT batch (typed arrays, no tensors). Dimensions: `batch` $B$, `sequence` $L$,
 * `predictions` $P$. Counts: `maskedLm` = real predictions, `nextSentence` = $B$.
 */
export interface BertBatch extends ObjectiveBatchV1<BertFieldName, BertPartName> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly segmentIds: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
    readonly labels: BatchField<'int32'>;
    readonly maskedPositions: BatchField<'int32'>;
    readonly maskedIds: BatchField<'int32'>;
    readonly maskedWeights: BatchField<'float32'>;
    readonly nextSentenceLabels: BatchField<'int32'>;
  };
  /** `[B, L]`: what the masker did at each position (a `MASK_ACTION` code), for inspection. */
  readonly maskActions: Uint8Array;
}

/** The declaration of every {@link BertBatch} field. */
export const BERT_BATCH_FIELDS: Readonly<Record<BertFieldName, BatchFieldSpec>> = Object.freeze({
  inputIds: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description:
      '[CLS] A [SEP] B [SEP] after masking ([MASK], random or kept at selected positions), right-padded with [PAD]',
  },
  segmentIds: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description:
      'segment (token type) ids: 0 for [CLS], A and the first [SEP]; 1 for B and the final [SEP]; 0 for padding',
  },
  attentionMask: {
    dtype: 'bool',
    dimensions: ['batch', 'sequence'],
    description: '1 for a real token, 0 for padding',
  },
  labels: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description: 'dense masked-LM labels: the original id at selected positions, -100 elsewhere',
  },
  maskedPositions: {
    dtype: 'int32',
    dimensions: ['batch', 'predictions'],
    description: 'selected positions in increasing order, padded with 0',
  },
  maskedIds: {
    dtype: 'int32',
    dimensions: ['batch', 'predictions'],
    description: 'the original ids at maskedPositions, padded with 0',
  },
  maskedWeights: {
    dtype: 'float32',
    dimensions: ['batch', 'predictions'],
    description: '1 for a real prediction, 0 for a padded slot',
  },
  nextSentenceLabels: {
    dtype: 'int32',
    dimensions: ['batch'],
    description:
      'next sentence prediction label: 1 = B is random (NotNext), 0 = B follows A (IsNext)',
  },
});
