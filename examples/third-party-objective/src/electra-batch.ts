import type { BatchField, BatchFieldSpec, ObjectiveBatchV1 } from '@lm-objectives/core';

/** The loss parts: the generator's masked LM and the discriminator's replaced-token detection. */
export type ElectraPartName = 'generator' | 'discriminator';

/** The fields of an {@link ElectraBatch}. */
export type ElectraFieldName =
  | 'generatorInputIds'
  | 'generatorLabels'
  | 'discriminatorInputIds'
  | 'discriminatorLabels'
  | 'attentionMask';

/**
 * A model-ready ELECTRA batch, `[batch, sequence]` arrays. Counts: `generator` = masked positions,
 * `discriminator` = real (non-padding) tokens.
 */
export interface ElectraBatch extends ObjectiveBatchV1<ElectraFieldName, ElectraPartName> {
  readonly fields: {
    readonly generatorInputIds: BatchField<'int32'>;
    readonly generatorLabels: BatchField<'int32'>;
    readonly discriminatorInputIds: BatchField<'int32'>;
    readonly discriminatorLabels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
  };
}

const ROW = ['batch', 'sequence'];

/** The declaration of every {@link ElectraBatch} field. */
export const ELECTRA_BATCH_FIELDS: Readonly<Record<ElectraFieldName, BatchFieldSpec>> =
  Object.freeze({
    generatorInputIds: {
      dtype: 'int32',
      dimensions: ROW,
      description:
        "the generator's input: the text with [MASK] at the masked positions, right-padded",
    },
    generatorLabels: {
      dtype: 'int32',
      dimensions: ROW,
      description: 'the original id at masked positions, -100 elsewhere',
    },
    discriminatorInputIds: {
      dtype: 'int32',
      dimensions: ROW,
      description:
        "the discriminator's input: the text with a sampled token at each masked position",
    },
    discriminatorLabels: {
      dtype: 'int32',
      dimensions: ROW,
      description: '1 where the sampled token differs from the original (replaced), 0 elsewhere',
    },
    attentionMask: {
      dtype: 'bool',
      dimensions: ROW,
      description: '1 for a real token, 0 for padding (the discriminator scores every real token)',
    },
  });
