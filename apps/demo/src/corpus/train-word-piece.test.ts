import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS } from './special-tokens';
import { trainWordPiece } from './train-word-piece';

describe('trainWordPiece', () => {
  const texts = ['the cat sat on the mat', 'the cat ate', 'that cat'];

  it('starts with the special tokens, ▁ and every character in its three forms', () => {
    const { tokens } = trainWordPiece(texts, { vocabularySize: 10 });
    expect(tokens.slice(0, 10)).toEqual([...SPECIAL_TOKENS]);
    expect(tokens[10]).toBe('▁');
    for (const character of 'acehmnost') {
      expect(tokens).toContain(character);
      expect(tokens).toContain(`▁${character}`);
      expect(tokens).toContain(`##${character}`);
    }
  });

  it('merges the most frequent pair first and stops at the vocabulary size', () => {
    const base = trainWordPiece(texts, { vocabularySize: 1 }).tokens.length;
    const { tokens } = trainWordPiece(texts, { vocabularySize: base + 3 });
    expect(tokens).toHaveLength(base + 3);
    // '##a ##t' occurs in cat×3, sat, mat, ate, that: 7 times, more than any other pair; then
    // '▁t ##h' (the×3, that); then '▁c ##at' and '▁th ##e' tie at 3 and the first in text order wins.
    expect(tokens.slice(base)).toEqual(['##at', '▁th', '▁cat']);
  });

  it('is deterministic', () => {
    expect(trainWordPiece(texts, { vocabularySize: 60 })).toEqual(
      trainWordPiece(texts, { vocabularySize: 60 }),
    );
  });
});
