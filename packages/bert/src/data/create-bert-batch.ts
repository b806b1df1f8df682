import {
  checkDistinctTokenIds,
  checkOptionsObject,
  checkRandomSource,
  checkTokenId,
  InvalidArgumentError,
  type RandomSource,
} from '@lm-objectives/core';
import type { BertBatch } from '../bert-batch';
import type { BertPairExample } from '../bert-pair-example';
import { checkRenamedOptions } from '../internal/check-renamed-options';
import { type BertPaddingOptions, resolveBertPadding } from './bert-padding';
import { padPairExamples } from './internal/pad-pair-examples';
import type { MaskedLmMasker } from './masked-lm-masker';

/** Options of {@link createBertBatch}. */
export interface BertBatchOptions extends BertPaddingOptions {
  /** The masker that selects and corrupts positions (from `createMaskedLmMasker`). */
  masker: MaskedLmMasker;
  /** The id written into padding positions (different from the masker's `maskTokenId`). */
  padTokenId: number;
}

const FUNCTION_NAME = 'createBertBatch';

function checkMasker(value: unknown): MaskedLmMasker {
  const masker = value as MaskedLmMasker | null;
  if (
    masker == null ||
    typeof masker.mask !== 'function' ||
    typeof masker.options?.vocabularySize !== 'number'
  ) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.masker',
      expected: 'a MaskedLmMasker',
      received: value,
      fix: 'pass createMaskedLmMasker({ vocabularySize, maskTokenId, specialTokenIds, … }).',
    });
  }
  return masker;
}

/**
 * The data side of BERT pre-training: pads pair examples (`[CLS] A [SEP] B [SEP]`, from
 * `createNextSentencePairBuilder`) into `[B, L]` rows and masks them. The batch carries:
 *
 * - `inputIds` (masked), `tokenTypeIds`, `attentionMask`;
 * - the dense `labels` (the original id at selected positions, −100 elsewhere) and the gathered
 *   `maskedPositions`/`maskedIds`/`maskedWeights` (`[B, P]`, padded slots: position 0, weight 0);
 * - the flat `scoredPositions` $b \cdot L + t$ and `scoredLabels` that the masked-LM loss gathers,
 *   computed once here;
 * - `nextSentenceLabels` (1 = B is random), `counts` of both parts and the per-position
 *   `maskActions`.
 *
 * Pure: typed arrays only, every random choice drawn from `random`.
 *
 * @example
 * const masker = createMaskedLmMasker({ vocabularySize: 30522, maskTokenId: 103, specialTokenIds: [101, 102] });
 * const batch = createBertBatch(examples, { masker, padTokenId: 0, maxLength: 128 }, createRng(1));
 * @throws {InvalidArgumentError} for bad options, an empty batch, token ids outside the masker's
 *   vocabulary, token types other than 0/1 or a label other than 0/1; `ShapeMismatchError` for an
 *   example longer than `maxLength` or per-token arrays of another length than its `inputIds`.
 */
export function createBertBatch(
  examples: readonly BertPairExample[],
  options: BertBatchOptions,
  random: RandomSource,
): BertBatch {
  const site = { functionName: FUNCTION_NAME, argumentName: 'options' };
  checkRenamedOptions(site, options, { sequenceLength: "maxLength with padding: 'max-length'" });
  const given = checkOptionsObject(site, options, {
    required: ['masker', 'padTokenId'],
    allowed: ['masker', 'padTokenId', 'maxLength', 'padding', 'padToMultipleOf'],
  });
  const masker = checkMasker(given['masker']);
  const { vocabularySize, maskTokenId } = masker.options;
  const padTokenId = checkTokenId(
    { functionName: FUNCTION_NAME, argumentName: 'options.padTokenId' },
    given['padTokenId'],
    { vocabularySize, tokenName: '[PAD]' },
  );
  checkDistinctTokenIds(FUNCTION_NAME, { maskTokenId, padTokenId });
  const padding = resolveBertPadding(FUNCTION_NAME, given);
  checkRandomSource({ functionName: FUNCTION_NAME, argumentName: 'random' }, random);
  const padded = padPairExamples(FUNCTION_NAME, examples, { padTokenId, vocabularySize, padding });
  const masked = masker.mask(
    {
      inputIds: padded.inputIds,
      shape: padded.shape,
      wordIds: padded.wordIds,
      attentionMask: padded.attentionMask,
    },
    random,
  );
  const [batchSize, length] = padded.shape;
  const predictions = masked.maxPredictions;
  const scored = masked.totalPredictions;
  const row = [batchSize, length];
  const gathered = [batchSize, predictions];
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length, predictions, scored },
    fields: {
      inputIds: { dtype: 'int32', shape: row, data: masked.inputIds },
      tokenTypeIds: { dtype: 'int32', shape: row, data: padded.tokenTypeIds },
      attentionMask: { dtype: 'bool', shape: row, data: padded.attentionMask },
      labels: { dtype: 'int32', shape: row, data: masked.labels },
      maskedPositions: { dtype: 'int32', shape: gathered, data: masked.maskedPositions },
      maskedIds: { dtype: 'int32', shape: gathered, data: masked.maskedIds },
      maskedWeights: { dtype: 'float32', shape: gathered, data: masked.maskedWeights },
      scoredPositions: { dtype: 'int32', shape: [scored], data: masked.scoredPositions },
      scoredLabels: { dtype: 'int32', shape: [scored], data: masked.scoredLabels },
      nextSentenceLabels: { dtype: 'int32', shape: [batchSize], data: padded.nextSentenceLabels },
    },
    counts: { maskedLm: scored, nextSentence: batchSize },
    maskActions: masked.actions,
  };
}
