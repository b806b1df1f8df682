import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text';
import { preTokenize } from './pre-tokenize';

describe('normalizeText and preTokenize', () => {
  it('normalizeText collapses every kind of whitespace to one space, trims, and composes accents (NFC)', () => {
    expect(normalizeText('  a\t\tb\n\nc\u00a0d  ')).toBe('a b c d');
    expect(normalizeText('cafe\u0301')).toBe('caf\u00e9');
  });

  it('cuts words at runs of letters and digits and makes each punctuation mark its own word', () => {
    const words = preTokenize("America's 104th Congress: $2.5 (yes).");
    expect(words.map((word) => word.text)).toEqual([
      'America',
      "'",
      's',
      '104th',
      'Congress',
      ':',
      '$',
      '2',
      '.',
      '5',
      '(',
      'yes',
      ')',
      '.',
    ]);
    expect(words.map((word) => word.spaceBefore)).toEqual([
      false,
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it('keeps letters of any script together', () => {
    expect(preTokenize('Déjà vu über').map((word) => word.text)).toEqual(['Déjà', 'vu', 'über']);
  });
});
