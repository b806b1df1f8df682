import type { BatchField, ObjectiveBatchV1 } from '@lm-objectives/core';

/** The `[batch, sequence]` arrays both mock objectives fill. */
export interface MockBatchArrays {
  readonly inputIds: Int32Array;
  readonly labels: Int32Array;
  readonly attentionMask: Uint8Array;
}

/** A mock batch of the three `[batch, sequence]` fields, with the given counts. */
export function mockBatch<PartName extends string>(
  size: number,
  sequence: number,
  arrays: MockBatchArrays,
  counts: Record<PartName, number>,
): ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', PartName> & {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
  };
} {
  const shape = [size, sequence];
  return {
    size,
    dimensions: { batch: size, sequence },
    fields: {
      inputIds: { dtype: 'int32', shape, data: arrays.inputIds },
      labels: { dtype: 'int32', shape, data: arrays.labels },
      attentionMask: { dtype: 'bool', shape, data: arrays.attentionMask },
    },
    counts,
  };
}
