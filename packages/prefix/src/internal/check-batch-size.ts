import { checkInteger } from '@lm-objectives/core';

/** Checks the `batchSize` argument of the functions that produce per-layer prefixes. */
export function checkBatchSize(functionName: string, batchSize: unknown): number {
  return checkInteger(
    { functionName, argumentName: 'batchSize' },
    batchSize,
    { min: 1, max: 1 << 20 },
    'pass the number of rows of the batch, or 1 (the default) to share one prefix across rows.',
  );
}
