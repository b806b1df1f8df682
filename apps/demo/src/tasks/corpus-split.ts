import type { EncodedCorpus, EncodedDocument } from './encode-corpus';

/** One side of {@link splitCorpus}: whole sentences of every address, and the stream they make. */
export interface CorpusText {
  /** Per address, its sentences on this side (token ids and word ids, as `encodeCorpus` made them). */
  readonly documents: readonly Pick<EncodedDocument, 'id' | 'sentences' | 'wordIds'>[];
  /** Every token of this side, addresses one after another. */
  readonly stream: Int32Array;
  /** Offsets into {@link CorpusText.stream} where each address's part starts. */
  readonly documentStarts: Int32Array;
  /** Offsets into {@link CorpusText.stream} where a sentence starts, ascending. */
  readonly sentenceStarts: Int32Array;
  /** Per token of the stream: 1 where a word starts (a `##` piece continues the word before it). */
  readonly wordStarts: Uint8Array;
}

/** The corpus split once for every task: training text and the held-out text all evaluation uses. */
export interface CorpusSplit {
  readonly training: CorpusText;
  readonly heldOut: CorpusText;
}

/** The share of every address's tokens held out (its closing sentences). */
export const HELD_OUT_FRACTION = 0.05;

const cache = new WeakMap<EncodedCorpus, CorpusSplit>();

/**
 * Holds out the closing sentences of **every** address — the fewest whole sentences that make up
 * at least `HELD_OUT_FRACTION` of its tokens — and keeps the rest for training. Both presidents
 * and all ten years appear on both sides, and no held-out sentence is ever trained on, so the
 * pre-training tasks' evaluation measures what the models learnt about the language, not what
 * they memorised. Cached per encoded corpus: every task of a run shares one split.
 */
export function splitCorpus(encoded: EncodedCorpus): CorpusSplit {
  const cached = cache.get(encoded);
  if (cached) return cached;
  const training: CorpusText['documents'][number][] = [];
  const heldOut: CorpusText['documents'][number][] = [];
  for (const document of encoded.documents) {
    const total = document.sentences.reduce((sum, sentence) => sum + sentence.length, 0);
    let held = 0;
    let boundary = document.sentences.length;
    while (boundary > 1 && held < HELD_OUT_FRACTION * total) {
      boundary -= 1;
      held += document.sentences[boundary]!.length;
    }
    const side = (start: number, end: number) => ({
      id: document.id,
      sentences: document.sentences.slice(start, end),
      wordIds: document.wordIds.slice(start, end),
    });
    training.push(side(0, boundary));
    heldOut.push(side(boundary, document.sentences.length));
  }
  const split = { training: corpusText(training), heldOut: corpusText(heldOut) };
  cache.set(encoded, split);
  return split;
}

function corpusText(documents: CorpusText['documents']): CorpusText {
  const sentences = documents.flatMap((document) =>
    document.sentences.map((ids, index) => ({ ids, wordIds: document.wordIds[index]! })),
  );
  const length = sentences.reduce((sum, sentence) => sum + sentence.ids.length, 0);
  const stream = new Int32Array(length);
  const wordStarts = new Uint8Array(length);
  const sentenceStarts = new Int32Array(sentences.length);
  const documentStarts = new Int32Array(documents.length);
  let sentenceCount = 0;
  documents.forEach((document, index) => {
    documentStarts[index] = sentences
      .slice(0, sentenceCount)
      .reduce((sum, sentence) => sum + sentence.ids.length, 0);
    sentenceCount += document.sentences.length;
  });
  let offset = 0;
  sentences.forEach((sentence, index) => {
    sentenceStarts[index] = offset;
    stream.set(sentence.ids, offset);
    sentence.wordIds.forEach((word, position) => {
      wordStarts[offset + position] =
        position === 0 || sentence.wordIds[position - 1] !== word ? 1 : 0;
    });
    offset += sentence.ids.length;
  });
  return { documents, stream, documentStarts, sentenceStarts, wordStarts };
}
