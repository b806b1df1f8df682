import { describe, expect, it } from 'vitest';
import { createConditionalLmBatch } from './create-conditional-lm-batch';
import { explainConditionalLmBatch } from './explain-conditional-lm-batch';

const EOS = 2;

describe('explainConditionalLmBatch', () => {
  it('explains each position: what it holds, and the next token it is trained to predict', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9], completion: [7] },
        { prompt: [3], completion: [6, 8] },
      ],
      { eosTokenId: EOS, padTokenId: 0 },
    );
    const { rows } = explainConditionalLmBatch(batch);
    expect(rows).toHaveLength(2);
    // Row 0: [5, 9, 7, EOS]. Position 1 (the last prompt token) predicts 7, position 2 predicts EOS.
    expect(rows[0]!.tokens).toEqual([
      { inputId: 5, label: null, weight: 0, action: 'prompt', positions: [0], attention: '≤ self' },
      {
        inputId: 9,
        label: 7,
        weight: 1,
        part: 'conditionalLm',
        action: 'prompt',
        positions: [1],
        attention: '≤ self',
      },
      {
        inputId: 7,
        label: EOS,
        weight: 1,
        part: 'conditionalLm',
        action: 'completion',
        positions: [2],
        attention: '≤ self',
      },
      {
        inputId: EOS,
        label: null,
        weight: 0,
        action: 'special',
        positions: [3],
        attention: '≤ self',
      },
    ]);
    expect(rows[0]!.facts).toEqual({ exampleIndices: '0' });
    // Row 1: [3, 6, 8, EOS]: three positions predict 6, 8 and EOS.
    expect(rows[1]!.tokens.map((token) => token.label)).toEqual([6, 8, EOS, null]);
    // The weights sum to the batch's count, the scored tokens the loss averages over.
    const weights = rows.flatMap((row) => row.tokens.map((token) => token.weight));
    expect(weights.reduce((total, weight) => total + weight, 0)).toBe(batch.counts.conditionalLm);
  });

  it('names the packed example each position sees, never predicts across a boundary, and marks padding', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5], completion: [7] }, // [5, 7, EOS]
        { prompt: [3], completion: [6] }, // [3, 6, EOS]
      ],
      { eosTokenId: EOS, padTokenId: 0, maxLength: 7, packing: true, padding: 'max-length' },
    );
    const [row] = explainConditionalLmBatch(batch).rows;
    expect(row!.facts).toEqual({ exampleIndices: '0, 1' });
    expect(row!.tokens.map((token) => token.action)).toEqual([
      'prompt',
      'completion',
      'special',
      'prompt',
      'completion',
      'special',
      'padding',
    ]);
    // The first example's EOS (position 2) predicts nothing: the next token starts another example.
    expect(row!.tokens.map((token) => token.label)).toEqual([7, EOS, null, 6, EOS, null, null]);
    expect(row!.tokens.map((token) => token.positions)).toEqual([
      [0],
      [1],
      [2],
      [0],
      [1],
      [2],
      [0],
    ]);
    expect(row!.tokens[4]!.attention).toBe('≤ self within example 2');
    expect(row!.tokens[6]!.attention).toBe('none (padding)');
  });
});
