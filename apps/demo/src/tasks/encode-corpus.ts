import type { Corpus } from '../corpus/corpus';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';

/** One address as token ids: its sentences in order, each with per-token word ids. */
export interface EncodedDocument {
  readonly id: string;
  /** Token ids of each sentence (no special tokens). */
  readonly sentences: readonly Int32Array[];
  /** Per sentence, the word index of each token (for whole-word masking). */
  readonly wordIds: readonly Int32Array[];
}

/** The corpus as token ids, once per corpus and tokenizer. */
export interface EncodedCorpus {
  readonly documents: readonly EncodedDocument[];
  /** Every token of every address, addresses one after another (for language-model windows). */
  readonly stream: Int32Array;
  /** Where each address starts in {@link EncodedCorpus.stream}. */
  readonly documentStarts: readonly number[];
}

// Encoding the 85k-token corpus takes a noticeable fraction of a second: every task of one run
// shares the result.
const cache = new WeakMap<Corpus, WeakMap<WordPieceTokenizer, EncodedCorpus>>();

/** Tokenizes every sentence of the corpus (cached per corpus object and tokenizer). */
export function encodeCorpus(corpus: Corpus, tokenizer: WordPieceTokenizer): EncodedCorpus {
  let byTokenizer = cache.get(corpus);
  if (!byTokenizer) {
    byTokenizer = new WeakMap();
    cache.set(corpus, byTokenizer);
  }
  const cached = byTokenizer.get(tokenizer);
  if (cached) return cached;
  const documents = corpus.documents.map((document) => {
    const encodings = document.paragraphs.flat().map((sentence) => tokenizer.encode(sentence));
    return {
      id: document.id,
      sentences: encodings.map((encoding) => encoding.ids),
      wordIds: encodings.map((encoding) => encoding.wordIds),
    };
  });
  const documentStarts: number[] = [];
  let length = 0;
  for (const document of documents) {
    documentStarts.push(length);
    for (const sentence of document.sentences) length += sentence.length;
  }
  const stream = new Int32Array(length);
  let offset = 0;
  for (const document of documents) {
    for (const sentence of document.sentences) {
      stream.set(sentence, offset);
      offset += sentence.length;
    }
  }
  const encoded = { documents, stream, documentStarts };
  byTokenizer.set(tokenizer, encoded);
  return encoded;
}
