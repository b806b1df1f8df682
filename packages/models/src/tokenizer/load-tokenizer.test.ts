import { Tokenizer } from '@huggingface/tokenizers';
import { InvalidArgumentError } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import {
  byteFallbackTokenizer,
  byteLevelTokenizer,
  WORD_PIECE_TOKENIZER,
} from '../../test/tokenizer-fixtures';
import { loadTokenizer } from './load-tokenizer';

const ids = (tokenizer: ReturnType<typeof loadTokenizer>, text: string, pair?: string) =>
  Array.from(tokenizer.encode(text, pair === undefined ? {} : { pair }).inputIds);

/** The library used directly, as a second opinion on our wrapper. */
const libraryIds = (json: object, text: string, pair?: string) =>
  new Tokenizer(json, {}).encode(text, { text_pair: pair ?? null }).ids;

describe('loadTokenizer (WordPiece, BERT)', () => {
  const tokenizer = loadTokenizer(JSON.stringify(WORD_PIECE_TOKENIZER));

  it('lowercases, strips accents, splits punctuation and words into ## pieces, and adds [CLS] … [SEP]', () => {
    // hello , un ##aff ##able world !  (Wörld → world)
    expect(ids(tokenizer, 'Hello, unaffable Wörld!')).toEqual([2, 15, 9, 11, 12, 13, 14, 10, 3]);
    expect(tokenizer.encode('Hello, unaffable Wörld!').tokens).toEqual([
      '[CLS]',
      'hello',
      ',',
      'un',
      '##aff',
      '##able',
      'world',
      '!',
      '[SEP]',
    ]);
    expect(ids(tokenizer, 'Hello, unaffable Wörld!')).toEqual(
      libraryIds(WORD_PIECE_TOKENIZER, 'Hello, unaffable Wörld!'),
    );
  });

  it('maps unknown words and CJK characters to [UNK], and keeps a special token written in the text', () => {
    expect(ids(tokenizer, 'The zebra sat.')).toEqual([2, 5, 1, 7, 8, 3]);
    expect(ids(tokenizer, '猫的')).toEqual([2, 1, 19, 3]);
    expect(ids(tokenizer, 'the [MASK] sat')).toEqual([2, 5, 4, 7, 3]);
  });

  it('encodes a pair with token type ids 0 then 1, and decodes back', () => {
    const pair = tokenizer.encode('The cat sat.', { pair: 'It purred.' });
    expect(Array.from(pair.inputIds)).toEqual([2, 5, 6, 7, 8, 3, 16, 17, 18, 8, 3]);
    expect(Array.from(pair.tokenTypeIds)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(pair.inputIds)).toEqual(
      libraryIds(WORD_PIECE_TOKENIZER, 'The cat sat.', 'It purred.'),
    );
    expect(tokenizer.decode(pair.inputIds, { skipSpecialTokens: true })).toBe(
      'the cat sat. it purred.',
    );
    expect(tokenizer.vocabularySize).toBe(20);
    expect(tokenizer.tokenToId('[MASK]')).toBe(4);
  });
});

describe('loadTokenizer (byte-level BPE, GPT-2)', () => {
  const json = byteLevelTokenizer();
  const tokenizer = loadTokenizer(json);

  it("splits with GPT-2's pattern, maps bytes to characters (space → Ġ) and applies the merges", () => {
    expect(ids(tokenizer, 'hello world')).toEqual([259, 264]);
    expect(tokenizer.encode('hello world').tokens).toEqual(['hello', 'Ġworld']);
  });

  it('encodes any byte: é is C3 A9 (ids 127 and 102), 🙂 is F0 9F 99 82 (ids 172, 253, 247, 224)', () => {
    // 'h' = 71, 'Ã' (0xC3) = 127, '©' (0xA9) = 102, 'll' = 257, 'o' = 78, '!' = 0.
    expect(ids(tokenizer, 'héllo!')).toEqual([71, 127, 102, 257, 78, 0]);
    expect(ids(tokenizer, '🙂')).toEqual([172, 253, 247, 224]);
    expect(ids(tokenizer, 'héllo! 🙂')).toEqual(libraryIds(json, 'héllo! 🙂'));
    expect(tokenizer.decode([71, 127, 102, 257, 78, 0])).toBe('héllo!');
  });

  it('keeps <|endoftext|> whole', () => {
    expect(ids(tokenizer, 'hello<|endoftext|>')).toEqual([259, 265]);
    expect(tokenizer.vocabularySize).toBe(266);
  });
});

describe('loadTokenizer (BPE with byte fallback, Llama 2 / TinyLlama)', () => {
  const json = byteFallbackTokenizer();
  const tokenizer = loadTokenizer(json);

  it('prepends ▁, turns spaces into ▁, merges, and starts with <s>', () => {
    expect(ids(tokenizer, 'hello world')).toEqual([1, 271, 276]);
    expect(tokenizer.encode('hello world').tokens).toEqual(['<s>', '▁hello', '▁world']);
    expect(tokenizer.decode([1, 271, 276], { skipSpecialTokens: true })).toBe('hello world');
  });

  it('falls back to <0xXX> byte tokens for characters outside the vocabulary, and decodes them back', () => {
    // ▁h then é = C3 A9 → <0xC3> = 3 + 195, <0xA9> = 3 + 169.
    expect(ids(tokenizer, 'hé')).toEqual([1, 268, 198, 172]);
    expect(ids(tokenizer, 'hé world')).toEqual(libraryIds(json, 'hé world'));
    expect(tokenizer.decode([1, 268, 198, 172], { skipSpecialTokens: true })).toBe('hé');
  });

  it('refuses files that are not a tokenizer.json', () => {
    expect(() => loadTokenizer('{')).toThrow(InvalidArgumentError);
    expect(() => loadTokenizer({ version: '1.0' })).toThrow(
      /loadTokenizer: argument 'tokenizerJson\.model' is invalid/,
    );
  });
});
