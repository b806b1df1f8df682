import { beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, corpusSentences, documentText } from './corpus';
import { loadCorpus, loadTokenizer } from './load-corpus';
import { SPECIAL_TOKENS } from './special-tokens';
import { trainWordPiece } from './train-word-piece';
import { createWordPieceTokenizer, type WordPieceTokenizer } from './word-piece-tokenizer';

describe('the demo tokenizer', () => {
  let tokenizer: WordPieceTokenizer;
  let corpus: Corpus;
  beforeAll(() => {
    tokenizer = loadTokenizer();
    corpus = loadCorpus();
  });

  it('round-trips every sentence and every whole address of the corpus without [UNK]', () => {
    const unknown = tokenizer.specialTokenIds['[UNK]'];
    const sentences = corpusSentences(corpus);
    expect(sentences.length).toBeGreaterThan(3000);
    for (const sentence of sentences) {
      const { ids } = tokenizer.encode(sentence);
      expect(ids.includes(unknown), sentence).toBe(false);
      expect(tokenizer.decode(ids)).toBe(sentence);
    }
    for (const document of corpus.documents) {
      const text = documentText(document);
      expect(tokenizer.decode(tokenizer.encode(text).ids)).toBe(text);
    }
  });

  it('normalises whitespace as documented: decode(encode(x)) is normalizeText(x)', () => {
    expect(tokenizer.decode(tokenizer.encode('  The\n\nUnion\t is   strong.  ').ids)).toBe(
      'The Union is strong.',
    );
  });

  it('has a vocabulary of 3000 whose ids 0-9 are the special tokens', () => {
    expect(tokenizer.vocabularySize).toBe(3000);
    expect(tokenizer.vocabulary.slice(0, 10)).toEqual([...SPECIAL_TOKENS]);
    expect(tokenizer.specialTokenIds).toEqual({
      '[PAD]': 0,
      '[UNK]': 1,
      '[CLS]': 2,
      '[SEP]': 3,
      '[MASK]': 4,
      '[sMASK]': 5,
      '[gMASK]': 6,
      '[sop]': 7,
      '[eop]': 8,
      '[EOS]': 9,
    });
    expect(tokenizer.isSpecial(9)).toBe(true);
    expect(tokenizer.isSpecial(10)).toBe(false);
  });

  it('encodes special tokens only when asked, and decodes them as their names or not at all', () => {
    const { ids, wordIds } = tokenizer.encode('[CLS] The budget [MASK] balanced. [SEP]', {
      parseSpecialTokens: true,
    });
    expect(ids[0]).toBe(2);
    expect(ids.at(-1)).toBe(3);
    expect(ids).toContain(4);
    expect(wordIds[0]).toBe(-1);
    expect(tokenizer.decode(ids)).toBe('[CLS] The budget [MASK] balanced. [SEP]');
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('The budget balanced.');
    const literal = tokenizer.encode('[MASK]');
    expect(literal.ids).not.toContain(4);
    expect(tokenizer.decode(literal.ids)).toBe('[MASK]');
  });

  it('gives every piece of a word the same word id, and punctuation its own word', () => {
    const text = "America's taxpayers aren't unimpressed.";
    const { ids, wordIds } = tokenizer.encode(text);
    const pieces = Array.from(ids, (id) => tokenizer.vocabulary[id]!);
    const words = new Map<number, string>();
    pieces.forEach((piece, index) => {
      words.set(wordIds[index]!, (words.get(wordIds[index]!) ?? '') + piece.replace(/^##|^▁/u, ''));
    });
    expect([...words.values()]).toEqual([
      'America',
      "'",
      's',
      'taxpayers',
      'aren',
      "'",
      't',
      'unimpressed',
      '.',
    ]);
    // A word of several pieces: only its first piece lacks the ## prefix.
    const split = pieces.filter((_, index) => wordIds[index] === 7);
    expect(split.length).toBeGreaterThan(1);
    expect(split.slice(1).every((piece) => piece.startsWith('##'))).toBe(true);
    expect(Array.from(wordIds)).toEqual([...wordIds].sort((a, b) => a - b));
  });

  it('turns unknown characters into [UNK] per character, keeping the spaces and the rest of the word', () => {
    const { ids, wordIds } = tokenizer.encode('Pay €5 or ¥7 to Zoë.');
    expect(tokenizer.decode(ids)).toBe('Pay [UNK]5 or [UNK]7 to Zo[UNK].');
    expect(ids.filter((id) => id === 1)).toHaveLength(3);
    expect(wordIds.length).toBe(ids.length);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => tokenizer.decode([5, 3000])).toThrow(
      "WordPieceTokenizer.decode: argument 'ids[1]' is invalid. Expected an id in [0, 3000); received 3000.",
    );
    expect(() =>
      createWordPieceTokenizer({ ...trainWordPiece(['a'], { vocabularySize: 1 }), tokens: ['a'] }),
    ).toThrow(/the vocabulary is invalid: its first tokens are not the special tokens/);
  });

  it('splits the corpus into about 1.2 tokens per word', () => {
    let tokens = 0;
    let words = 0;
    for (const sentence of corpusSentences(corpus)) {
      const { ids, wordIds } = tokenizer.encode(sentence);
      tokens += ids.length;
      words += wordIds.at(-1)! + 1;
    }
    expect(tokens / words).toBeGreaterThan(1);
    expect(tokens / words).toBeLessThan(1.4);
  });
});
