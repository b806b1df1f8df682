import { checkRandomSource, InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import { NEXT_SENTENCE_LABEL } from '../next-sentence-label';
import type {
  BuiltPairExample,
  NextSentencePairResult,
  SentenceDocument,
} from '../next-sentence-pair-builder';
import type { ResolvedNextSentencePairOptions } from '../next-sentence-pair-options';
import { Int32Blocks, layoutPair, type PairSide, sideOf } from './pair-layout';
import { drawBelow, probabilityThreshold } from './random-draws';
import { type Corpus, readCorpus } from './read-corpus';

const FUNCTION_NAME = 'NextSentencePairBuilder.build';

/** Share of one-sentence documents above which `build` warns. */
const SINGLE_SENTENCE_WARNING_SHARE = 0.5;

/** Ints per storage block: 1 MiB. */
const BLOCK_SIZE = 1 << 18;

/** Refuses fewer than 2 documents; warns when most documents have one sentence. Returns how many do. */
function checkCorpusShape(
  options: ResolvedNextSentencePairOptions,
  corpus: Corpus,
  documents: unknown,
): number {
  const documentCount = corpus.documents.length;
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
  const single = corpus.documents.filter((document) => document.length === 1).length;
  if (single > SINGLE_SENTENCE_WARNING_SHARE * documentCount) {
    options.onWarning(
      `${FUNCTION_NAME}: ${single} of ${documentCount} documents have a single sentence, and every pair started from one is labelled 1 (random). ` +
        'This usually means blank lines split every sentence into its own document; separate documents by blank lines and sentences by line breaks.',
    );
  }
  return single;
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
  let other = drawBelow(random, corpus.documents.length - 1);
  if (other >= documentIndex) other++;
  const sentences = corpus.documents[other]!;
  const start = drawBelow(random, sentences.length);
  let end = start;
  let length = 0;
  while (end < sentences.length) {
    length += sentences[end]!.length;
    end++;
    if (length >= targetLength) break;
  }
  return { side: { sentences, first: start, skip: 0, length }, documentIndex: other };
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
  const maxTokens = options.maxLength - 3;
  const shortThreshold = probabilityThreshold(options.shortSequenceProbability);
  const randomNextThreshold = probabilityThreshold(options.randomNextProbability);
  const examples: BuiltPairExample[] = [];
  const storage = new Int32Blocks(BLOCK_SIZE);
  let randomNextPairs = 0;
  let forcedRandomNextPairs = 0;
  let outputTokens = 0;

  corpus.documents.forEach((document, documentIndex) => {
    const targetLength =
      random.nextUint32() < shortThreshold ? 2 + drawBelow(random, maxTokens - 1) : maxTokens;
    let chunkStart = 0;
    let chunkLength = 0;
    for (let index = 0; index < document.length; index++) {
      chunkLength += document[index]!.length;
      if (index !== document.length - 1 && chunkLength < targetLength) continue;
      const chunkSize = index - chunkStart + 1;
      const aEnd = chunkSize >= 2 ? 1 + drawBelow(random, chunkSize - 1) : 1;
      const sideA = sideOf(document, chunkStart, chunkStart + aEnd);
      const isRandomNext = chunkSize === 1 || random.nextUint32() < randomNextThreshold;
      let sideB = sideOf(document, chunkStart + aEnd, index + 1);
      let nextDocumentIndex = documentIndex;
      if (isRandomNext) {
        const next = randomNextSide(corpus, documentIndex, targetLength - sideA.length, random);
        sideB = next.side;
        nextDocumentIndex = next.documentIndex;
        // Put back the chunk's unused sentences: the walk resumes right after A.
        index -= chunkSize - aEnd;
        randomNextPairs++;
        if (chunkSize === 1) forcedRandomNextPairs++;
      }
      truncatePair(sideA, sideB, maxTokens, random);
      const { clsTokenId, sepTokenId } = options;
      const layout = layoutPair(clsTokenId, sepTokenId, storage, sideA, sideB);
      examples.push({
        ...layout,
        nextSentenceLabel: isRandomNext ? NEXT_SENTENCE_LABEL.notNext : NEXT_SENTENCE_LABEL.isNext,
        documentIndex: corpus.originalIndex[documentIndex]!,
        nextDocumentIndex: corpus.originalIndex[nextDocumentIndex]!,
      });
      outputTokens += layout.inputIds.length;
      chunkStart = index + 1;
      chunkLength = 0;
    }
  });
  if (options.shuffle) random.shuffle(examples);
  return {
    examples,
    statistics: {
      documents: corpus.documents.length,
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
