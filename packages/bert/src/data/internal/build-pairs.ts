import { checkRandomSource, InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import { NEXT_SENTENCE_LABEL } from '../next-sentence-label';
import type {
  BuiltPairExample,
  NextSentencePairResult,
  SentenceDocument,
} from '../next-sentence-pair-builder';
import type { ResolvedNextSentencePairOptions } from '../next-sentence-pair-options';
import { Int32Blocks, layoutPair, type PairSide } from './pair-layout';
import { drawBelow, probabilityThreshold } from './random-draws';
import { type Corpus, readCorpus } from './read-corpus';

const FUNCTION_NAME = 'NextSentencePairBuilder.build';

/** Share of one-sentence documents above which `build` warns. */
const SINGLE_SENTENCE_WARNING_SHARE = 0.5;

/** Ints per storage block: 1 MiB. */
const BLOCK_SIZE = 1 << 18;

/** Sentences of document `document` of the corpus. */
function sentenceCount(corpus: Corpus, document: number): number {
  return corpus.documentStarts[document + 1]! - corpus.documentStarts[document]!;
}

/** Refuses fewer than 2 documents; warns when most documents have one sentence. Returns how many do. */
function checkCorpusShape(
  options: ResolvedNextSentencePairOptions,
  corpus: Corpus,
  documents: unknown,
): number {
  const documentCount = corpus.originalIndex.length;
  if (documentCount < 2) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'documents',
      expected:
        'at least 2 non-empty documents (a random B must come from a document other than A’s)',
      received: documents,
      receivedDescription: `${documentCount} non-empty document${documentCount === 1 ? '' : 's'}`,
      fix: 'pass more documents; for masked LM without next sentence prediction, skip the pair builder.',
    });
  }
  let single = 0;
  for (let document = 0; document < documentCount; document++) {
    if (sentenceCount(corpus, document) === 1) single++;
  }
  if (single > SINGLE_SENTENCE_WARNING_SHARE * documentCount) {
    options.onWarning(
      `${FUNCTION_NAME}: ${single} of ${documentCount} documents have a single sentence, and every pair started from one is labelled 1 (random). ` +
        'This usually means blank lines split every sentence into its own document; separate documents by blank lines and sentences by line breaks.',
    );
  }
  return single;
}

/** The side made of the corpus sentences `first` to `end − 1` (consecutive, one document), whole. */
function sideOf(corpus: Corpus, first: number, end: number): PairSide {
  const start = corpus.sentenceStarts[first]!;
  return { start, length: corpus.sentenceStarts[end]! - start };
}

/**
 * A random B for a pair of document `documentIndex`: a uniformly random **other** document, from a
 * uniformly random sentence onward until it reaches `targetLength` tokens (or the document ends).
 */
function randomNextSide(
  corpus: Corpus,
  documentIndex: number,
  targetLength: number,
  random: RandomSource,
): { side: PairSide; documentIndex: number } {
  let other = drawBelow(random, corpus.originalIndex.length - 1);
  if (other >= documentIndex) other++;
  const first = corpus.documentStarts[other]!;
  const last = corpus.documentStarts[other + 1]!;
  const start = first + drawBelow(random, last - first);
  let end = start;
  let length = 0;
  while (end < last) {
    length += corpus.sentenceStarts[end + 1]! - corpus.sentenceStarts[end]!;
    end++;
    if (length >= targetLength) break;
  }
  return { side: sideOf(corpus, start, end), documentIndex: other };
}

/**
 * Drops one token at a time from the longer side (B on a tie), at its front or back with
 * probability 1/2, until both fit `maxTokens`. With `maxTokens ≥ 2` the longer side always has
 * ≥ 2 tokens when a drop is needed, so both keep at least one.
 */
function truncatePair(a: PairSide, b: PairSide, maxTokens: number, random: RandomSource): void {
  while (a.length + b.length > maxTokens) {
    const side = a.length > b.length ? a : b;
    if (random.nextUint32() < 0x8000_0000) side.start++;
    side.length--;
  }
}

/** Running counts of one `build` call. */
interface PairCounts {
  randomNextPairs: number;
  forcedRandomNextPairs: number;
  outputTokens: number;
}

/**
 * The pairs of one document (its index among the kept documents), appended to `examples`: chunks
 * of sentences up to a target length, A and B from each, as `createNextSentencePairBuilder` says.
 */
function documentPairs(
  run: {
    readonly options: ResolvedNextSentencePairOptions;
    readonly corpus: Corpus;
    readonly storage: Int32Blocks;
    readonly random: RandomSource;
    readonly examples: BuiltPairExample[];
    readonly counts: PairCounts;
  },
  documentIndex: number,
): void {
  const { options, corpus, random, counts } = run;
  const maxTokens = options.maxLength - 3;
  const targetLength =
    random.nextUint32() < probabilityThreshold(options.shortSequenceProbability)
      ? 2 + drawBelow(random, maxTokens - 1)
      : maxTokens;
  const first = corpus.documentStarts[documentIndex]!;
  const end = corpus.documentStarts[documentIndex + 1]!;
  let chunkStart = first;
  let chunkLength = 0;
  for (let sentence = first; sentence < end; sentence++) {
    chunkLength += corpus.sentenceStarts[sentence + 1]! - corpus.sentenceStarts[sentence]!;
    if (sentence !== end - 1 && chunkLength < targetLength) continue;
    const chunkSize = sentence - chunkStart + 1;
    const aEnd = chunkSize >= 2 ? 1 + drawBelow(random, chunkSize - 1) : 1;
    const sideA = sideOf(corpus, chunkStart, chunkStart + aEnd);
    const isRandomNext =
      chunkSize === 1 || random.nextUint32() < probabilityThreshold(options.randomNextProbability);
    let sideB = sideOf(corpus, chunkStart + aEnd, sentence + 1);
    let nextDocumentIndex = documentIndex;
    if (isRandomNext) {
      const next = randomNextSide(corpus, documentIndex, targetLength - sideA.length, random);
      sideB = next.side;
      nextDocumentIndex = next.documentIndex;
      // Put back the chunk's unused sentences: the walk resumes right after A.
      sentence -= chunkSize - aEnd;
      counts.randomNextPairs++;
      if (chunkSize === 1) counts.forcedRandomNextPairs++;
    }
    truncatePair(sideA, sideB, maxTokens, random);
    const layout = layoutPair(options, run.storage, corpus.tokens, sideA, sideB);
    run.examples.push({
      ...layout,
      nextSentenceLabel: isRandomNext ? NEXT_SENTENCE_LABEL.notNext : NEXT_SENTENCE_LABEL.isNext,
      documentIndex: corpus.originalIndex[documentIndex]!,
      nextDocumentIndex: corpus.originalIndex[nextDocumentIndex]!,
    });
    counts.outputTokens += layout.inputIds.length;
    chunkStart = sentence + 1;
    chunkLength = 0;
  }
}

/**
 * Builds the pairs of every document by the original generator's rules (see
 * `createNextSentencePairBuilder`), with a random B always from another document.
 */
export function buildPairs(
  options: ResolvedNextSentencePairOptions,
  documents: readonly SentenceDocument[],
  random: RandomSource,
): NextSentencePairResult {
  checkRandomSource({ functionName: FUNCTION_NAME, argumentName: 'random' }, random);
  const corpus = readCorpus(FUNCTION_NAME, documents);
  const singleSentenceDocuments = checkCorpusShape(options, corpus, documents);
  const examples: BuiltPairExample[] = [];
  const counts: PairCounts = { randomNextPairs: 0, forcedRandomNextPairs: 0, outputTokens: 0 };
  const run = { options, corpus, storage: new Int32Blocks(BLOCK_SIZE), random, examples, counts };
  for (let document = 0; document < corpus.originalIndex.length; document++) {
    documentPairs(run, document);
  }
  if (options.shuffle) random.shuffle(examples);
  return {
    examples,
    statistics: {
      documents: corpus.originalIndex.length,
      sentences: corpus.sentenceStarts.length - 1,
      singleSentenceDocuments,
      inputTokens: corpus.tokens.length,
      pairs: examples.length,
      ...counts,
    },
  };
}
