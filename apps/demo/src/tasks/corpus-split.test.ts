import { describe, expect, it } from 'vitest';
import { loadCorpus, loadTokenizer } from '../corpus/node';
import { HELD_OUT_FRACTION, splitCorpus } from './corpus-split';
import { encodeCorpus } from './encode-corpus';

const tokenizer = loadTokenizer();
const encoded = encodeCorpus(loadCorpus(), tokenizer);
const split = splitCorpus(encoded);

describe('splitCorpus', () => {
  it('holds out the closing sentences of every address: at least the share, less one sentence more', () => {
    expect(split.heldOut.documents).toHaveLength(encoded.documents.length);
    encoded.documents.forEach((document, index) => {
      const training = split.training.documents[index]!;
      const heldOut = split.heldOut.documents[index]!;
      // Every sentence on exactly one side, in order: training first, then the held-out tail.
      expect([...training.sentences, ...heldOut.sentences]).toEqual(document.sentences);
      const length = (sentences: readonly Int32Array[]) =>
        sentences.reduce((sum, sentence) => sum + sentence.length, 0);
      const total = length(document.sentences);
      const held = length(heldOut.sentences);
      expect(held).toBeGreaterThanOrEqual(HELD_OUT_FRACTION * total);
      expect(held - heldOut.sentences[0]!.length).toBeLessThan(HELD_OUT_FRACTION * total);
    });
  });

  it('lays each side out as one stream with its address, sentence and word starts', () => {
    for (const text of [split.training, split.heldOut]) {
      const sentences = text.documents.flatMap((document) => document.sentences);
      expect(text.stream.length).toBe(sentences.reduce((sum, s) => sum + s.length, 0));
      expect(text.sentenceStarts).toHaveLength(sentences.length);
      const misplaced = sentences.filter((sentence, index) => {
        const start = text.sentenceStarts[index]!;
        const copy = text.stream.subarray(start, start + sentence.length);
        return (
          text.wordStarts[start] !== 1 || copy.some((id, position) => id !== sentence[position])
        );
      });
      expect(misplaced).toEqual([]);
      expect(text.documentStarts[0]).toBe(0);
      // A `##` piece continues a word; a piece after a space starts one.
      const wrong = Array.from(text.stream).filter((id, index) => {
        const piece = tokenizer.vocabulary[id]!;
        if (piece.startsWith('##')) return text.wordStarts[index] !== 0;
        return piece.startsWith('▁') && text.wordStarts[index] !== 1;
      });
      expect(wrong).toEqual([]);
    }
  });

  it('is computed once per encoded corpus', () => {
    expect(splitCorpus(encoded)).toBe(split);
  });
});
