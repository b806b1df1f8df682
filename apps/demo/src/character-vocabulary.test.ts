import { describe, expect, it } from 'vitest';
import { createCharacterVocabulary } from './character-vocabulary';
import { ALICE_OPENING } from './corpus';

describe('createCharacterVocabulary', () => {
  it('gives each distinct character one id in sorted order and round-trips the text', () => {
    const vocabulary = createCharacterVocabulary('banana');
    expect(vocabulary.size).toBe(3);
    expect(Array.from(vocabulary.encode('abn'))).toEqual([0, 1, 2]);
    expect(vocabulary.decode(vocabulary.encode('banana'))).toBe('banana');
  });

  it('covers the whole embedded corpus', () => {
    const vocabulary = createCharacterVocabulary(ALICE_OPENING);
    expect(vocabulary.decode(vocabulary.encode(ALICE_OPENING))).toBe(ALICE_OPENING);
    expect(vocabulary.size).toBe(43);
  });

  it('refuses characters outside the vocabulary by name', () => {
    expect(() => createCharacterVocabulary('abc').encode('abz')).toThrow(
      /"z" is not in the vocabulary/,
    );
  });
});
