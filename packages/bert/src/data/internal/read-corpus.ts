import { checkTokenIds, InvalidArgumentError } from '@lm-objectives/core';
import type { SentenceDocument } from '../next-sentence-pair-builder';

/**
 * The non-empty sentences of the non-empty documents, their tokens laid end to end in one buffer:
 * a document's sentences are contiguous, so any run of them is one range of `tokens`.
 */
export interface Corpus {
  /** Every kept token, document after document, sentence after sentence. */
  readonly tokens: Int32Array;
  /** Sentence $s$ is `tokens[sentenceStarts[s], sentenceStarts[s + 1])` (one extra final entry). */
  readonly sentenceStarts: Int32Array;
  /** Document $d$ holds sentences `documentStarts[d]` to `documentStarts[d + 1] − 1` (one extra final entry). */
  readonly documentStarts: Int32Array;
  /** The index in the caller's `documents` of each kept document. */
  readonly originalIndex: readonly number[];
}

const DOCUMENTS_FIX = 'pass documents as number[][][] (or arrays of Int32Array sentences).';

/** Checks the nesting (documents of sentences) and counts what is kept, without reading tokens. */
function measure(functionName: string, documents: readonly SentenceDocument[]) {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'documents',
      expected: 'an array of documents, each an array of sentences of token ids',
      received: documents,
      fix: DOCUMENTS_FIX,
    });
  }
  let tokens = 0;
  let sentences = 0;
  let kept = 0;
  documents.forEach((document, documentIndex) => {
    if (!Array.isArray(document)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `documents[${documentIndex}]`,
        expected: 'an array of sentences (each an array or Int32Array of token ids)',
        received: document,
        fix: DOCUMENTS_FIX,
      });
    }
    let documentSentences = 0;
    document.forEach((sentence, sentenceIndex) => {
      if (!(Array.isArray(sentence) || ArrayBuffer.isView(sentence))) {
        // Not a list of ids: core's check says so in its words.
        const argumentName = `documents[${documentIndex}][${sentenceIndex}]`;
        checkTokenIds({ functionName, argumentName }, sentence);
      }
      if (sentence.length === 0) return;
      documentSentences++;
      tokens += sentence.length;
    });
    sentences += documentSentences;
    if (documentSentences > 0) kept++;
  });
  return { tokens, sentences, documents: kept };
}

/** Whether every entry of `sentence` is a token id (an integer in $[0, 2^{31})$). */
function copyIfValid(sentence: ArrayLike<unknown>, target: Int32Array, at: number): boolean {
  for (let index = 0; index < sentence.length; index++) {
    const id = sentence[index];
    if (!(typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 2 ** 31)) return false;
    target[at + index] = id;
  }
  return true;
}

/**
 * Checks the documents (arrays of sentences of integer token ids in $[0, 2^{31})$, naming the first
 * bad token as `documents[d][s][t]` through core's `checkTokenIds`) and copies the non-empty
 * sentences of the non-empty documents into one buffer: one allocation for the whole corpus rather
 * than one per sentence, which the garbage collector would pay for.
 */
export function readCorpus(functionName: string, documents: readonly SentenceDocument[]): Corpus {
  const size = measure(functionName, documents);
  const tokens = new Int32Array(size.tokens);
  const sentenceStarts = new Int32Array(size.sentences + 1);
  const documentStarts = new Int32Array(size.documents + 1);
  const originalIndex: number[] = [];
  let token = 0;
  let sentence = 0;
  documents.forEach((document, documentIndex) => {
    const first = sentence;
    document.forEach((ids, sentenceIndex) => {
      if (ids.length === 0) return;
      if (!copyIfValid(ids, tokens, token)) {
        const argumentName = `documents[${documentIndex}][${sentenceIndex}]`;
        checkTokenIds({ functionName, argumentName }, ids);
      }
      sentenceStarts[sentence++] = token;
      token += ids.length;
    });
    if (sentence === first) return;
    documentStarts[originalIndex.length] = first;
    originalIndex.push(documentIndex);
  });
  sentenceStarts[sentence] = token;
  documentStarts[originalIndex.length] = sentence;
  return { tokens, sentenceStarts, documentStarts, originalIndex };
}
