import {
  type ArgumentSite,
  checkTokenIds,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type { BertPairExample } from '../../bert-pair-example';
import { checkIntegerArray } from '../../internal/check-integer-array';
import { paddedLength, type ResolvedBertPadding } from '../bert-padding';

/** A padded batch of pair examples, row-major typed arrays. */
export interface PaddedPairs {
  /** `[B, L]`. */
  readonly shape: readonly [number, number];
  /** `[B, L]`: token ids, right-padded with `padTokenId`. */
  readonly inputIds: Int32Array;
  /** `[B, L]`: token types (0 for A, 1 for B), padded with 0. */
  readonly tokenTypeIds: Int32Array;
  /** `[B, L]`: 1 for a real token, 0 for padding. */
  readonly attentionMask: Uint8Array;
  /** `[B, L]`: word ids padded with −1, when the examples carry them. */
  readonly wordIds: Int32Array | undefined;
  /** `[B]`: 1 = B is random (NotNext), 0 = B follows A (IsNext). */
  readonly nextSentenceLabels: Int32Array;
}

/** One example, checked: ids in the vocabulary, token types 0/1, word ids and label. */
interface CheckedExample {
  readonly inputIds: Int32Array;
  readonly tokenTypeIds: Int32Array;
  readonly wordIds: Int32Array | undefined;
  readonly nextSentenceLabel: number;
}

function checkTokenTypeIds(site: ArgumentSite, value: unknown, length: number): Int32Array {
  const types = checkIntegerArray(site, value, length, 'token type');
  const bad = types.findIndex((type) => type !== 0 && type !== 1);
  if (bad >= 0) {
    throw new InvalidArgumentError({
      ...site,
      argumentName: `${site.argumentName}[${bad}]`,
      expected: '0 (for [CLS], A and the first [SEP]) or 1 (for B and the final [SEP])',
      received: types[bad],
      fix: 'give each token the index of its segment: BERT has two, 0 and 1.',
    });
  }
  return types;
}

function checkExample(
  functionName: string,
  example: BertPairExample,
  index: number,
  vocabularySize: number,
): CheckedExample {
  const site = (name: string) => ({ functionName, argumentName: `examples[${index}].${name}` });
  if (example == null || typeof example !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `examples[${index}]`,
      expected: '{ inputIds, tokenTypeIds, nextSentenceLabel, wordIds? }',
      received: example,
      fix: 'pass examples made by NextSentencePairBuilder.build.',
    });
  }
  const inputIds = checkTokenIds(site('inputIds'), example.inputIds, {
    vocabularySize,
    minLength: 1,
  });
  const length = inputIds.length;
  if (example.nextSentenceLabel !== 0 && example.nextSentenceLabel !== 1) {
    throw new InvalidArgumentError({
      ...site('nextSentenceLabel'),
      expected: '0 (B follows A, IsNext) or 1 (B is random, NotNext)',
      received: example.nextSentenceLabel,
      fix: 'use NEXT_SENTENCE_LABEL.isNext (0) or NEXT_SENTENCE_LABEL.notNext (1).',
    });
  }
  return {
    inputIds,
    tokenTypeIds: checkTokenTypeIds(site('tokenTypeIds'), example.tokenTypeIds, length),
    wordIds:
      example.wordIds === undefined
        ? undefined
        : checkIntegerArray(site('wordIds'), example.wordIds, length, 'word id'),
    nextSentenceLabel: example.nextSentenceLabel,
  };
}

/**
 * Checks pair examples and pads them into one batch: ids right-padded with `padTokenId`, token
 * types with 0, an attention mask of 1 for real tokens and 0 for padding, word ids (when every
 * example has them) with −1, and the NSP labels.
 */
export function padPairExamples(
  functionName: string,
  examples: readonly BertPairExample[],
  settings: { padTokenId: number; vocabularySize: number; padding: ResolvedBertPadding },
): PaddedPairs {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'examples',
      expected: 'a non-empty array of { inputIds, tokenTypeIds, nextSentenceLabel } examples',
      received: examples,
      fix: 'pass at least one example (from NextSentencePairBuilder.build).',
    });
  }
  const checked = examples.map((example, index) =>
    checkExample(functionName, example, index, settings.vocabularySize),
  );
  const longest = Math.max(...checked.map((example) => example.inputIds.length));
  const { maxLength } = settings.padding;
  if (maxLength !== undefined && longest > maxLength) {
    const index = checked.findIndex((example) => example.inputIds.length > maxLength);
    throw new ShapeMismatchError({
      functionName,
      argumentName: `examples[${index}].inputIds`,
      expected: `at most ${maxLength} tokens (options.maxLength)`,
      received: examples[index]!.inputIds,
      fix: 'build pairs with the pair builder’s maxLength ≤ this maxLength, or raise maxLength.',
    });
  }
  const withWords = checked.filter((example) => example.wordIds !== undefined).length;
  if (withWords !== 0 && withWords !== checked.length) {
    const index = checked.findIndex((example) => example.wordIds === undefined);
    throw new InvalidArgumentError({
      functionName,
      argumentName: `examples[${index}].wordIds`,
      expected: 'word ids on every example of the batch, or on none',
      received: undefined,
      fix: 'give every example wordIds (negative for tokens without a word), or drop them all.',
    });
  }
  const length = paddedLength(settings.padding, longest);
  const batchSize = checked.length;
  const inputIds = new Int32Array(batchSize * length).fill(settings.padTokenId);
  const tokenTypeIds = new Int32Array(batchSize * length);
  const attentionMask = new Uint8Array(batchSize * length);
  const wordIds = withWords > 0 ? new Int32Array(batchSize * length).fill(-1) : undefined;
  const nextSentenceLabels = new Int32Array(batchSize);
  checked.forEach((example, row) => {
    const offset = row * length;
    inputIds.set(example.inputIds, offset);
    tokenTypeIds.set(example.tokenTypeIds, offset);
    attentionMask.fill(1, offset, offset + example.inputIds.length);
    if (wordIds) wordIds.set(example.wordIds!, offset);
    nextSentenceLabels[row] = example.nextSentenceLabel;
  });
  return {
    shape: [batchSize, length],
    inputIds,
    tokenTypeIds,
    attentionMask,
    wordIds,
    nextSentenceLabels,
  };
}
