import { InvalidArgumentError } from '@lm-objectives/core';
import { BERT_BATCH_FIELDS, type BertBatch } from '../bert-batch';

/** Throws unless `batch` carries every {@link BERT_BATCH_FIELDS} field and the mask actions. */
export function checkBertBatch(functionName: string, batch: unknown): asserts batch is BertBatch {
  const given = batch as Partial<BertBatch> | null;
  const fields = given?.fields as Record<string, { data?: unknown } | undefined> | undefined;
  const missing =
    fields == null
      ? Object.keys(BERT_BATCH_FIELDS)
      : Object.keys(BERT_BATCH_FIELDS).filter((name) => fields[name]?.data == null);
  if (missing.length > 0 || !(given?.maskActions instanceof Uint8Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'batch',
      expected: `a BertBatch with the fields ${Object.keys(BERT_BATCH_FIELDS).join(', ')} and maskActions`,
      received: batch,
      receivedDescription:
        missing.length > 0
          ? `a batch without ${missing.join(', ')}`
          : 'a batch without maskActions',
      fix: 'pass the batch made by the objective’s createBatch (or createBertBatch).',
    });
  }
}
