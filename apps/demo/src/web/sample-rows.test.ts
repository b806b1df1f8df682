import { describe, expect, it } from 'vitest';
import { maskedPredictionRow, readableTokens, sampleRow } from './sample-rows';
import { displayToken, isSpecialToken, joinWordPieces } from './token-chip';

describe('maskedPredictionRow', () => {
  it('reads the top guesses per masked position and whether the best one is the label', () => {
    const row = maskedPredictionRow({
      input: '[CLS] the [MASK] of the [SEP]',
      output: 'state/nation/union  a/the/our',
      expected: 'state  the',
    });
    expect(row.input).toBe('[CLS] the [MASK] of the [SEP]');
    expect(row.predictions).toEqual([
      { expected: 'state', guesses: ['state', 'nation', 'union'], correct: true },
      { expected: 'the', guesses: ['a', 'the', 'our'], correct: false },
    ]);
  });

  it('keeps positions aligned when a guess is the slash itself', () => {
    const row = maskedPredictionRow({ input: '', output: 'a///b  c/d/e', expected: 'x  y' });
    expect(row.predictions.map((prediction) => prediction.guesses)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('gives no predictions for a row without masked positions', () => {
    expect(
      maskedPredictionRow({ input: '[CLS] [SEP]', output: '', expected: '' }).predictions,
    ).toEqual([]);
  });
});

describe('sampleRow and readableTokens', () => {
  it('drops space markers and compares the output with the expectation', () => {
    expect(readableTokens('▁we ▁will ##s  ▁go')).toBe('we will ##s go');
    expect(sampleRow({ input: '▁a', output: '▁b ', expected: '▁b' })).toEqual({
      input: 'a',
      output: 'b',
      expected: 'b',
      matches: true,
    });
  });
});

describe('token chips', () => {
  it('recognises bracketed special tokens only', () => {
    expect(['[CLS]', '[sMASK]', '[eop]', '[', 'word', '[[MASK]]'].map(isSpecialToken)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('shows a lone space marker as ␣ and keeps ## continuations', () => {
    expect(['▁', '▁the', '##s', '.'].map(displayToken)).toEqual(['␣', 'the', '##s', '.']);
  });
});

describe('joinWordPieces', () => {
  it('joins pieces by the vocabulary rules: ▁ opens a word, ## continues it, bare pieces glue on', () => {
    expect(joinWordPieces(['▁Un', '##d', '##er', '▁the', ',', '▁Vice'])).toBe('Under the, Vice');
    expect(joinWordPieces(['▁we', '[EOS]'])).toBe('we [EOS]');
    expect(joinWordPieces([])).toBe('');
  });
});
