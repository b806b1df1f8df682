import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { checkKnownKeys, checkNumber } from '../internal/check-arguments';
import type { BertPairExample } from './create-next-sentence-pair-builder';

/** Options of {@link collatePairExamples}. */
export interface CollatePairExamplesOptions {
  /** The id written into padding positions. */
  padTokenId: number;
  /**
   * Pad every row to this length $L$ (a fixed shape avoids re-tracing and re-allocating per
   * batch). Default: the longest example of the batch. Longer examples are an error.
   */
  sequenceLength?: number;
}

/** A padded batch of pair examples, row-major typed arrays. */
export interface CollatedPairBatch {
  /** `[B, L]`. */
  readonly shape: readonly [number, number];
  /** `[B, L]`: token ids, right-padded with `padTokenId`. */
  readonly inputIds: Int32Array;
  /** `[B, L]`: segment ids (0 for A, 1 for B), padded with 0. */
  readonly segmentIds: Int32Array;
  /** `[B, L]`: 1 for a real token, 0 for padding. */
  readonly attentionMask: Uint8Array;
  /** `[B, L]`: word ids padded with −1, when the examples carry them. */
  readonly wordIds: Int32Array | undefined;
  /** `[B]`: 1 = B is random (NotNext), 0 = B follows A (IsNext). */
  readonly nextSentenceLabels: Int32Array;
}

const FUNCTION_NAME = 'collatePairExamples';

/**
 * Pads pair examples into one batch: ids right-padded with `padTokenId`, segment ids with 0, an
 * attention mask of 1 for real tokens and 0 for padding, and the NSP labels.
 *
 * @throws {InvalidArgumentError} for an empty batch, a label other than 0/1 or an example longer
 *   than `sequenceLength`; {@link ShapeMismatchError} when an example's arrays differ in length.
 */
export function collatePairExamples(
  examples: readonly BertPairExample[],
  options: CollatePairExamplesOptions,
): CollatedPairBatch {
  const given = checkKnownKeys({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, [
    'padTokenId',
    'sequenceLength',
  ]) as Partial<CollatePairExamplesOptions>;
  const padTokenId = checkNumber(
    { functionName: FUNCTION_NAME, argumentName: 'options.padTokenId' },
    given.padTokenId,
    { min: 0, max: 2 ** 31 - 1, integer: true },
    "pass the tokenizer's id of [PAD].",
  );
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'examples',
      expected: 'a non-empty array of { inputIds, segmentIds, nextSentenceLabel } examples',
      received: examples,
      fix: 'pass at least one example (from NextSentencePairBuilder.build).',
    });
  }
  examples.forEach(checkExample);
  const longest = Math.max(...examples.map((example) => example.inputIds.length));
  const length =
    given.sequenceLength === undefined
      ? longest
      : checkNumber(
          { functionName: FUNCTION_NAME, argumentName: 'options.sequenceLength' },
          given.sequenceLength,
          { min: 1, max: 2 ** 31 - 1, integer: true },
          'pass a positive integer, at least the longest example (maxSequenceLength of the pair builder).',
        );
  if (longest > length) {
    const index = examples.findIndex((example) => example.inputIds.length > length);
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `examples[${index}].inputIds`,
      expected: `at most ${length} tokens (options.sequenceLength)`,
      received: examples[index]!.inputIds,
      fix: 'build pairs with maxSequenceLength ≤ sequenceLength, or raise sequenceLength.',
    });
  }
  const withWords = examples.filter((example) => example.wordIds !== undefined).length;
  if (withWords !== 0 && withWords !== examples.length) {
    const index = examples.findIndex((example) => example.wordIds === undefined);
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `examples[${index}].wordIds`,
      expected: 'word ids on every example of the batch, or on none',
      received: undefined,
      fix: 'give every example wordIds (negative for tokens without a word), or drop them all.',
    });
  }
  const batchSize = examples.length;
  const inputIds = new Int32Array(batchSize * length).fill(padTokenId);
  const segmentIds = new Int32Array(batchSize * length);
  const attentionMask = new Uint8Array(batchSize * length);
  const wordIds = withWords > 0 ? new Int32Array(batchSize * length).fill(-1) : undefined;
  const nextSentenceLabels = new Int32Array(batchSize);
  examples.forEach((example, row) => {
    const offset = row * length;
    inputIds.set(example.inputIds, offset);
    segmentIds.set(example.segmentIds, offset);
    attentionMask.fill(1, offset, offset + example.inputIds.length);
    if (wordIds) wordIds.set(example.wordIds!, offset);
    nextSentenceLabels[row] = example.nextSentenceLabel;
  });
  return {
    shape: [batchSize, length],
    inputIds,
    segmentIds,
    attentionMask,
    wordIds,
    nextSentenceLabels,
  };
}

function isIntegerArray(values: unknown): values is Int32Array | readonly number[] {
  if (values instanceof Int32Array) return true;
  return Array.isArray(values) && values.every((value) => Number.isInteger(value));
}

function checkExample(example: BertPairExample, index: number): void {
  const site = (name: string) => ({
    functionName: FUNCTION_NAME,
    argumentName: `examples[${index}].${name}`,
  });
  if (example == null || typeof example !== 'object' || !isIntegerArray(example.inputIds)) {
    throw new InvalidArgumentError({
      ...site('inputIds'),
      expected: 'an Int32Array or array of token ids',
      received: example?.inputIds,
      fix: 'pass examples made by NextSentencePairBuilder.build, or { inputIds, segmentIds, nextSentenceLabel }.',
    });
  }
  const length = example.inputIds.length;
  for (const name of ['segmentIds', 'wordIds'] as const) {
    const values = example[name];
    if (values === undefined && name === 'wordIds') continue;
    if (!isIntegerArray(values) || values.length !== length) {
      throw new ShapeMismatchError({
        ...site(name),
        expected: `${length} integers (one per token of inputIds)`,
        received: values,
        fix: `give one ${name === 'segmentIds' ? 'segment id' : 'word id'} per token.`,
      });
    }
  }
  if (example.nextSentenceLabel !== 0 && example.nextSentenceLabel !== 1) {
    throw new InvalidArgumentError({
      ...site('nextSentenceLabel'),
      expected: '0 (B follows A, IsNext) or 1 (B is random, NotNext)',
      received: example.nextSentenceLabel,
      fix: 'use NEXT_SENTENCE_LABEL.isNext (0) or NEXT_SENTENCE_LABEL.notNext (1).',
    });
  }
}
