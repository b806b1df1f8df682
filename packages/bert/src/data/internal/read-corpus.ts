import { checkTokenIdRows, InvalidArgumentError } from '@lm-objectives/core';
import type { SentenceDocument } from '../next-sentence-pair-builder';

/** The documents with empty sentences and empty documents removed, with their original indices. */
export interface Corpus {
  readonly documents: Int32Array[][];
  readonly originalIndex: number[];
  readonly sentences: number;
  readonly inputTokens: number;
}

/**
 * Checks the documents (arrays of sentences of non-negative integer token ids, naming the first
 * bad token as `documents[d][s][t]`) and keeps the non-empty sentences and documents.
 */
export function readCorpus(functionName: string, documents: readonly SentenceDocument[]): Corpus {
  if (!Array.isArray(documents)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'documents',
      expected: 'an array of documents, each an array of sentences of token ids',
      received: documents,
      fix: 'pass documents as number[][][] (or arrays of Int32Array sentences).',
    });
  }
  const kept: Int32Array[][] = [];
  const originalIndex: number[] = [];
  let sentences = 0;
  let inputTokens = 0;
  documents.forEach((document, documentIndex) => {
    const checked = checkTokenIdRows(
      { functionName, argumentName: `documents[${documentIndex}]` },
      document,
    );
    const nonEmpty = checked.filter((sentence) => sentence.length > 0);
    if (nonEmpty.length === 0) return;
    kept.push(nonEmpty);
    originalIndex.push(documentIndex);
    sentences += nonEmpty.length;
    for (const sentence of nonEmpty) inputTokens += sentence.length;
  });
  return { documents: kept, originalIndex, sentences, inputTokens };
}
