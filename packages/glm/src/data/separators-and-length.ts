import { checkInteger, InvalidArgumentError } from '@lm-objectives/core';
import type { GlmBatch } from '../glm-batch';

/** `(separators, length)` from either call form, checked. */
export function separatorsAndLength(
  functionName: string,
  batchOrSeparators: GlmBatch | ArrayLike<number>,
  length: number | undefined,
): { separators: ArrayLike<number>; length: number } {
  if (
    batchOrSeparators != null &&
    typeof batchOrSeparators === 'object' &&
    'fields' in batchOrSeparators
  ) {
    return {
      separators: batchOrSeparators.fields.separators.data,
      length: batchOrSeparators.dimensions['sequence']!,
    };
  }
  const separators = batchOrSeparators as ArrayLike<number>;
  if (!(Array.isArray(separators) || separators instanceof Int32Array) || separators.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'separators',
      expected: 'a GlmBatch, or a non-empty array or Int32Array of sep values (one per row)',
      received: separators,
      fix: 'pass the batch, or (batch.fields.separators.data, batch.dimensions.sequence).',
    });
  }
  const checkedLength = checkInteger(
    { functionName, argumentName: 'length' },
    length,
    { min: 1 },
    'pass the padded sequence length L.',
  );
  for (let row = 0; row < separators.length; row++) {
    checkInteger(
      { functionName, argumentName: `separators[${row}]` },
      separators[row],
      { min: 0, max: checkedLength },
      `each sep must lie between 0 and the sequence length ${checkedLength}.`,
    );
  }
  return { separators, length: checkedLength };
}
