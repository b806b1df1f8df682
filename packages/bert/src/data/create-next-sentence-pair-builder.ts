import { InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import {
  checkFlag,
  checkKnownKeys,
  checkRandomSource,
  checkTokenId,
  optionalNumber,
  optionalProbability,
} from '../internal/check-arguments';
import { drawBelow, probabilityThreshold } from './internal/random-draws';
import { NEXT_SENTENCE_LABEL, type NextSentenceLabel } from './next-sentence-label';

/** A sentence: its token ids (without `[CLS]`/`[SEP]`). */
export type Sentence = readonly number[] | Int32Array;

/** A document: its sentences in order. */
export type SentenceDocument = readonly Sentence[];

/** One BERT pre-training input: `[CLS] A [SEP] B [SEP]`, its segments and its NSP label. */
export interface BertPairExample {
  /**
   * `[CLS] A [SEP] B [SEP]`, unpadded. The pair builder returns views into a few large buffers
   * shared by the pairs of one `build` call (one allocation per megabyte rather than per pair);
   * `.slice()` gives an independent copy.
   */
  readonly inputIds: Int32Array;
  /** 0 for `[CLS]`, A and the first `[SEP]`; 1 for B and the final `[SEP]`. Same storage as `inputIds`. */
  readonly segmentIds: Int32Array;
  /** 1 = B is random (NotNext), 0 = B follows A (IsNext). See {@link NEXT_SENTENCE_LABEL}. */
  readonly nextSentenceLabel: NextSentenceLabel;
  /** Optional per-token word ids for whole-word masking (negative for tokens without a word). */
  readonly wordIds?: Int32Array;
}

/** A pair as the builder makes it: a {@link BertPairExample} plus where A and B came from. */
export interface BuiltPairExample extends BertPairExample {
  /** The document A was taken from (index into the documents passed to `build`). */
  readonly documentIndex: number;
  /** The document B was taken from: `documentIndex` for IsNext, always another one for NotNext. */
  readonly nextDocumentIndex: number;
}

/** Options of {@link createNextSentencePairBuilder}. */
export interface NextSentencePairOptions {
  /** The id of `[CLS]`. */
  clsTokenId: number;
  /** The id of `[SEP]`. */
  sepTokenId: number;
  /** The most tokens of a pair, specials included; A and B share `maxSequenceLength − 3`. Default 128; at least 5. */
  maxSequenceLength?: number;
  /** Probability that a document's target length is a uniform integer in $[2, \mathrm{maxSequenceLength} - 3]$ instead of the maximum. Default 0.1. */
  shortSequenceProbability?: number;
  /** Probability that a chunk of two or more sentences gets a random B. Default 0.5. */
  randomNextProbability?: number;
  /** Shuffle the pairs of all documents together, as the original does. Default `true`. */
  shuffle?: boolean;
  /** Receives warnings (a corpus of one-sentence documents). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** {@link NextSentencePairOptions} with every default filled in. */
export interface ResolvedNextSentencePairOptions {
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly maxSequenceLength: number;
  readonly shortSequenceProbability: number;
  readonly randomNextProbability: number;
  readonly shuffle: boolean;
  /** Where warnings go (the given callback, or `console.warn`). */
  readonly onWarning: (message: string) => void;
}

/** Counts describing one `build` call. */
export interface NextSentencePairStatistics {
  /** Documents with at least one non-empty sentence (empty ones are skipped). */
  readonly documents: number;
  /** Non-empty sentences. */
  readonly sentences: number;
  /** Documents with exactly one sentence: every pair started from them is labelled random. */
  readonly singleSentenceDocuments: number;
  /** Tokens in all non-empty sentences. */
  readonly inputTokens: number;
  /** Pairs built. */
  readonly pairs: number;
  /** Pairs labelled 1 (B random). */
  readonly randomNextPairs: number;
  /** Of those, the pairs whose chunk had a single sentence, which forces a random B. */
  readonly forcedRandomNextPairs: number;
  /** Tokens in all pairs, specials included. */
  readonly outputTokens: number;
}

/** What `build` returns. */
export interface NextSentencePairResult {
  readonly examples: BuiltPairExample[];
  readonly statistics: NextSentencePairStatistics;
}

/** A configured pair builder (see {@link createNextSentencePairBuilder}). */
export interface NextSentencePairBuilder {
  readonly options: ResolvedNextSentencePairOptions;
  /**
   * Builds the pairs of every document.
   *
   * @param documents each a list of sentences of token ids. At least 2 non-empty documents.
   * @param random the source of every random choice.
   * @throws {InvalidArgumentError} for fewer than 2 non-empty documents or malformed sentences.
   */
  build(documents: readonly SentenceDocument[], random: RandomSource): NextSentencePairResult;
}

const FUNCTION_NAME = 'createNextSentencePairBuilder';
const BUILD_FUNCTION = 'NextSentencePairBuilder.build';

/** Share of one-sentence documents above which `build` warns. */
const SINGLE_SENTENCE_WARNING_SHARE = 0.5;

/**
 * Creates a builder of next-sentence-prediction pairs from documents, with the rules of the
 * original BERT data generator and without its known bug:
 *
 * - each document gets a target length: `maxSequenceLength − 3`, or with probability
 *   `shortSequenceProbability` a uniform integer in $[2, \mathrm{maxSequenceLength} - 3]$;
 * - sentences accumulate into a chunk until the document ends or the chunk reaches the target;
 *   A is the chunk's first `aEnd` sentences, `aEnd` uniform in $[1, \mathrm{len} - 1]$ (1 for one sentence);
 * - with one sentence, or with probability `randomNextProbability`, B is random: from a uniformly
 *   random sentence onward of a **strictly different** document (the original retried 10 times and
 *   could fall back to the same document, labelling true continuations "random"), until it reaches
 *   the target minus A's length; the chunk's unused sentences are put back. Otherwise B is the rest
 *   of the chunk;
 * - the pair is truncated to `maxSequenceLength − 3` by dropping one token at a time from the longer
 *   side (B on a tie), at its front or back with probability 1/2; both sides keep ≥ 1 token;
 * - the layout is `[CLS] A [SEP] B [SEP]`, segment ids 0 then 1, and **label 1 = B is random**.
 *
 * @example
 * const builder = createNextSentencePairBuilder({ clsTokenId: 101, sepTokenId: 102, maxSequenceLength: 128 });
 * const { examples } = builder.build(documents, createRng(12345));
 */
export function createNextSentencePairBuilder(
  options: NextSentencePairOptions,
): NextSentencePairBuilder {
  const resolved = resolveOptions(options);
  return Object.freeze({
    options: resolved,
    build: (documents: readonly SentenceDocument[], random: RandomSource) =>
      buildPairs(resolved, documents, random),
  });
}

function resolveOptions(options: NextSentencePairOptions): ResolvedNextSentencePairOptions {
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const given = checkKnownKeys({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, [
    'clsTokenId',
    'sepTokenId',
    'maxSequenceLength',
    'shortSequenceProbability',
    'randomNextProbability',
    'shuffle',
    'onWarning',
  ]) as Partial<NextSentencePairOptions>;
  const onWarning = given.onWarning ?? ((message: string) => console.warn(message));
  if (typeof onWarning !== 'function') {
    throw new InvalidArgumentError({
      ...site('onWarning'),
      expected: 'a function receiving a message',
      received: onWarning,
      fix: 'pass (message) => …, or leave it out to use console.warn.',
    });
  }
  return Object.freeze({
    clsTokenId: checkTokenId(site('clsTokenId'), given.clsTokenId, 2 ** 31, '[CLS]'),
    sepTokenId: checkTokenId(site('sepTokenId'), given.sepTokenId, 2 ** 31, '[SEP]'),
    maxSequenceLength: optionalNumber(
      site('maxSequenceLength'),
      given.maxSequenceLength,
      128,
      { min: 5, max: 2 ** 31 - 1, integer: true },
      'pass at least 5: [CLS] A [SEP] B [SEP] needs 3 special tokens and one token per side, and truncation needs room for 2.',
    ),
    shortSequenceProbability: optionalProbability(
      site('shortSequenceProbability'),
      given.shortSequenceProbability,
      0.1,
    ),
    randomNextProbability: optionalProbability(
      site('randomNextProbability'),
      given.randomNextProbability,
      0.5,
    ),
    shuffle: checkFlag(site('shuffle'), given.shuffle, true),
    onWarning,
  });
}

/** The documents with empty sentences and empty documents removed, with their original indices. */
interface Corpus {
  readonly documents: Sentence[][];
  readonly originalIndex: number[];
  readonly sentences: number;
  readonly inputTokens: number;
}

function readCorpus(documents: readonly SentenceDocument[]): Corpus {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({
      functionName: BUILD_FUNCTION,
      argumentName: 'documents',
      expected: 'an array of documents, each an array of sentences of token ids',
      received: documents,
      fix: 'pass documents as number[][][] (or arrays of Int32Array sentences).',
    });
  }
  const kept: Sentence[][] = [];
  const originalIndex: number[] = [];
  let sentences = 0;
  let inputTokens = 0;
  documents.forEach((document, documentIndex) => {
    if (!Array.isArray(document)) {
      throw new InvalidArgumentError({
        functionName: BUILD_FUNCTION,
        argumentName: `documents[${documentIndex}]`,
        expected: 'an array of sentences (each an array or Int32Array of token ids)',
        received: document,
        fix: 'split each document into sentences of token ids.',
      });
    }
    const nonEmpty: Sentence[] = [];
    document.forEach((sentence, sentenceIndex) => {
      checkSentence(sentence, documentIndex, sentenceIndex);
      if (sentence.length > 0) nonEmpty.push(sentence);
    });
    if (nonEmpty.length > 0) {
      kept.push(nonEmpty);
      originalIndex.push(documentIndex);
      sentences += nonEmpty.length;
      for (const sentence of nonEmpty) inputTokens += sentence.length;
    }
  });
  return { documents: kept, originalIndex, sentences, inputTokens };
}

function checkSentence(sentence: unknown, documentIndex: number, sentenceIndex: number): void {
  const argumentName = `documents[${documentIndex}][${sentenceIndex}]`;
  if (sentence instanceof Int32Array) {
    for (let index = 0; index < sentence.length; index++) {
      if (sentence[index]! < 0) throwBadToken(argumentName, index, sentence[index]);
    }
    return;
  }
  if (!Array.isArray(sentence)) {
    throw new InvalidArgumentError({
      functionName: BUILD_FUNCTION,
      argumentName,
      expected: 'a sentence: an array or Int32Array of token ids',
      received: sentence,
      fix: 'tokenize each sentence to ids (without [CLS]/[SEP]).',
    });
  }
  for (let index = 0; index < sentence.length; index++) {
    const id = sentence[index];
    if (!(typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 2 ** 31)) {
      throwBadToken(argumentName, index, id);
    }
  }
}

function throwBadToken(argumentName: string, index: number, value: unknown): never {
  throw new InvalidArgumentError({
    functionName: BUILD_FUNCTION,
    argumentName: `${argumentName}[${index}]`,
    expected: 'a non-negative integer token id',
    received: value,
    fix: 'pass token ids, not strings or floats.',
  });
}

/** Copies `count` tokens of the concatenation of `sentences[first..]`, skipping `skip` tokens, into `target` at `at`. */
function copyTokens(
  sentences: readonly Sentence[],
  first: number,
  skip: number,
  count: number,
  target: Int32Array,
  at: number,
): void {
  let remainingSkip = skip;
  let remaining = count;
  let write = at;
  for (let index = first; remaining > 0; index++) {
    const sentence = sentences[index]!;
    const start = Math.min(remainingSkip, sentence.length);
    remainingSkip -= start;
    const take = Math.min(sentence.length - start, remaining);
    for (let offset = 0; offset < take; offset++) target[write++] = sentence[start + offset]!;
    remaining -= take;
  }
}

/** One side of a pair: consecutive sentences of one document, and how much of them is kept. */
interface PairSide {
  sentences: readonly Sentence[];
  first: number;
  /** Tokens dropped at the front. */
  skip: number;
  /** Tokens kept. */
  length: number;
}

function sideOf(sentences: readonly Sentence[], first: number, end: number): PairSide {
  let length = 0;
  for (let index = first; index < end; index++) length += sentences[index]!.length;
  return { sentences, first, skip: 0, length };
}

function buildPairs(
  options: ResolvedNextSentencePairOptions,
  documents: readonly SentenceDocument[],
  random: RandomSource,
): NextSentencePairResult {
  checkRandomSource(BUILD_FUNCTION, random);
  const corpus = readCorpus(documents);
  const documentCount = corpus.documents.length;
  if (documentCount < 2) {
    throw new InvalidArgumentError({
      functionName: BUILD_FUNCTION,
      argumentName: 'documents',
      expected:
        'at least 2 non-empty documents (a random B must come from a document other than A’s)',
      received: documents,
      receivedDescription: `${documentCount} non-empty document${documentCount === 1 ? '' : 's'}`,
      fix: 'pass more documents; for masked LM without next sentence prediction, skip the pair builder.',
    });
  }
  const singleSentenceDocuments = corpus.documents.filter(
    (document) => document.length === 1,
  ).length;
  if (singleSentenceDocuments > SINGLE_SENTENCE_WARNING_SHARE * documentCount) {
    options.onWarning(
      `NextSentencePairBuilder.build: ${singleSentenceDocuments} of ${documentCount} documents have a single sentence, and every pair started from one is labelled 1 (random). ` +
        'This usually means blank lines split every sentence into its own document; separate documents by blank lines and sentences by line breaks.',
    );
  }
  const maxTokens = options.maxSequenceLength - 3;
  const shortThreshold = probabilityThreshold(options.shortSequenceProbability);
  const randomNextThreshold = probabilityThreshold(options.randomNextProbability);
  const examples: BuiltPairExample[] = [];
  const storage = new Int32Blocks(BLOCK_SIZE);
  let randomNextPairs = 0;
  let forcedRandomNextPairs = 0;
  let outputTokens = 0;

  for (let documentIndex = 0; documentIndex < documentCount; documentIndex++) {
    const document = corpus.documents[documentIndex]!;
    const sentenceCount = document.length;
    const targetLength =
      random.nextUint32() < shortThreshold ? 2 + drawBelow(random, maxTokens - 1) : maxTokens;
    let chunkStart = 0;
    let chunkLength = 0;
    for (let index = 0; index < sentenceCount; index++) {
      chunkLength += document[index]!.length;
      if (index !== sentenceCount - 1 && chunkLength < targetLength) continue;
      const chunkSize = index - chunkStart + 1;
      const aEnd = chunkSize >= 2 ? 1 + drawBelow(random, chunkSize - 1) : 1;
      const sideA = sideOf(document, chunkStart, chunkStart + aEnd);
      let sideB: PairSide;
      let nextDocumentIndex = documentIndex;
      const isRandomNext = chunkSize === 1 || random.nextUint32() < randomNextThreshold;
      if (isRandomNext) {
        const targetB = targetLength - sideA.length;
        // Uniform over the other documents: never the current one.
        nextDocumentIndex = drawBelow(random, documentCount - 1);
        if (nextDocumentIndex >= documentIndex) nextDocumentIndex++;
        const other = corpus.documents[nextDocumentIndex]!;
        const start = drawBelow(random, other.length);
        let end = start;
        let lengthB = 0;
        while (end < other.length) {
          lengthB += other[end]!.length;
          end++;
          if (lengthB >= targetB) break;
        }
        sideB = { sentences: other, first: start, skip: 0, length: lengthB };
        // Put back the chunk's unused sentences: the walk resumes right after A.
        index -= chunkSize - aEnd;
        randomNextPairs++;
        if (chunkSize === 1) forcedRandomNextPairs++;
      } else {
        sideB = sideOf(document, chunkStart + aEnd, index + 1);
      }
      truncatePair(sideA, sideB, maxTokens, random);
      const { inputIds, segmentIds } = layoutPair(options, storage, sideA, sideB);
      examples.push({
        inputIds,
        segmentIds,
        nextSentenceLabel: isRandomNext ? NEXT_SENTENCE_LABEL.notNext : NEXT_SENTENCE_LABEL.isNext,
        documentIndex: corpus.originalIndex[documentIndex]!,
        nextDocumentIndex: corpus.originalIndex[nextDocumentIndex]!,
      });
      outputTokens += inputIds.length;
      chunkStart = index + 1;
      chunkLength = 0;
    }
  }
  if (options.shuffle) random.shuffle(examples);
  return {
    examples,
    statistics: {
      documents: documentCount,
      sentences: corpus.sentences,
      singleSentenceDocuments,
      inputTokens: corpus.inputTokens,
      pairs: examples.length,
      randomNextPairs,
      forcedRandomNextPairs,
      outputTokens,
    },
  };
}

/**
 * Drops one token at a time from the longer side (B on a tie), at its front or back with
 * probability 1/2, until both fit `maxTokens`. With `maxTokens ≥ 2` the longer side always has
 * ≥ 2 tokens when a drop is needed, so both keep at least one.
 */
function truncatePair(a: PairSide, b: PairSide, maxTokens: number, random: RandomSource): void {
  while (a.length + b.length > maxTokens) {
    const side = a.length > b.length ? a : b;
    if (random.nextUint32() < 0x8000_0000) side.skip++;
    side.length--;
  }
}

/**
 * Hands out consecutive views of large `Int32Array` blocks: a typed array of its own per pair would
 * cost an allocation and a garbage-collected backing store each, which dominated the build time.
 */
class Int32Blocks {
  private block = new Int32Array(0);
  private used = 0;

  constructor(private readonly blockSize: number) {}

  take(size: number): Int32Array {
    if (this.used + size > this.block.length) {
      this.block = new Int32Array(Math.max(this.blockSize, size));
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + size);
    this.used += size;
    return view;
  }
}

/** Ints per storage block: 1 MiB. */
const BLOCK_SIZE = 1 << 18;

function layoutPair(
  options: ResolvedNextSentencePairOptions,
  storage: Int32Blocks,
  a: PairSide,
  b: PairSide,
): { inputIds: Int32Array; segmentIds: Int32Array } {
  const total = a.length + b.length + 3;
  const inputIds = storage.take(total);
  const segmentIds = storage.take(total);
  inputIds[0] = options.clsTokenId;
  copyTokens(a.sentences, a.first, a.skip, a.length, inputIds, 1);
  inputIds[a.length + 1] = options.sepTokenId;
  copyTokens(b.sentences, b.first, b.skip, b.length, inputIds, a.length + 2);
  inputIds[total - 1] = options.sepTokenId;
  // A loop: fill() on a short view costs more than the writes themselves.
  for (let index = a.length + 2; index < total; index++) segmentIds[index] = 1;
  return { inputIds, segmentIds };
}
