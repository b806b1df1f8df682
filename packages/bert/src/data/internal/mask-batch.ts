import {
  type ArgumentSite,
  checkBinaryMask,
  checkRandomSource,
  checkTokenIds,
  InvalidArgumentError,
  type RandomSource,
  ShapeMismatchError,
} from '@lm-objectives/core';
import { checkIntegerArray } from '../../internal/check-integer-array';
import type { MaskedLmInput, MaskedLmResult } from '../masked-lm-masker';
import type { ResolvedMaskedLmMaskerOptions } from '../masked-lm-masker-options';
import { BatchMasker } from './batch-masker';
import type { MaskerScratch, MaskerTables } from './masker-tables';

const FUNCTION_NAME = 'MaskedLmMasker.mask';

const site = (argumentName: string): ArgumentSite => ({
  functionName: FUNCTION_NAME,
  argumentName,
});

function resolveShape(shape: unknown, length: number): [number, number] {
  const given = shape ?? [1, length];
  const valid =
    Array.isArray(given) &&
    given.length === 2 &&
    given.every((size) => Number.isInteger(size) && size >= 0) &&
    given[0] * given[1] === length;
  if (!valid) {
    throw new ShapeMismatchError({
      ...site('input.shape'),
      expected: `[B, L] with B · L = ${length} (the length of inputIds)`,
      received: given,
      fix: 'pass the batch size and the padded sequence length.',
    });
  }
  return [given[0], given[1]];
}

/**
 * Checks one `mask` call's input and masks the batch (see `BatchMasker`). The ids are copied once,
 * by the check, and the copy is corrupted in place: the caller's arrays are never modified.
 */
export function maskBatch(
  options: ResolvedMaskedLmMaskerOptions,
  tables: MaskerTables,
  scratch: MaskerScratch,
  input: MaskedLmInput,
  random: RandomSource,
): MaskedLmResult {
  if (input == null || typeof input !== 'object') {
    throw new InvalidArgumentError({
      ...site('input'),
      expected: '{ inputIds, shape?, wordIds?, attentionMask? }',
      received: input,
      fix: 'pass the token ids in an object.',
    });
  }
  checkRandomSource(site('random'), random);
  const ids = checkTokenIds(site('input.inputIds'), input.inputIds, {
    vocabularySize: options.vocabularySize,
  });
  const size = ids.length;
  const shape = resolveShape(input.shape, size);
  const wordIds =
    input.wordIds === undefined
      ? undefined
      : checkIntegerArray(site('input.wordIds'), input.wordIds, size, 'word id');
  const attention =
    input.attentionMask === undefined
      ? undefined
      : checkBinaryMask(site('input.attentionMask'), input.attentionMask, size);
  return new BatchMasker(options, tables, ids, shape, wordIds, attention, random).run(scratch);
}
