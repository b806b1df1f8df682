import { describe, expect, it } from 'vitest';
import type { ConditionalTaskExplanation } from '../tasks/demo-task';
import { compareCompletions, conditionalViewModel, parameterShare } from './conditional-view-model';

const row: ConditionalTaskExplanation = {
  kind: 'conditional',
  tokens: ['▁Mr', '.', '▁Speaker', '▁we', '▁will', '[EOS]'],
  roles: ['prompt', 'prompt', 'prompt', 'completion', 'completion', 'completion'],
  lossMask: [0, 0, 0, 1, 1, 1],
  virtualTokens: 0,
};

describe('conditionalViewModel', () => {
  it('splits prompt from completion and marks the scored tokens', () => {
    const model = conditionalViewModel(row);
    expect(model.chips.map((chip) => [chip.text, chip.role, chip.inLoss])).toEqual([
      ['Mr', 'prompt', false],
      ['.', 'prompt', false],
      ['Speaker', 'prompt', false],
      ['we', 'completion', true],
      ['will', 'completion', true],
      ['[EOS]', 'completion', true],
    ]);
    expect(model).toMatchObject({
      promptTokens: 3,
      completionTokens: 3,
      scoredTokens: 3,
      virtualTokens: 0,
    });
    expect(model.chips[0]?.description).toBe('position 0: prompt “Mr”, not scored (label −100)');
  });

  it('counts scored tokens from the loss mask, not from the roles', () => {
    // With the shift inside the loss the first completion token may be unscored in other layouts.
    const model = conditionalViewModel({ ...row, lossMask: [0, 0, 0, 0, 1, 1], virtualTokens: 4 });
    expect(model.scoredTokens).toBe(2);
    expect(model.virtualTokens).toBe(4);
  });
});

describe('parameterShare', () => {
  it('states the trainable share of the parameters', () => {
    expect(parameterShare({ trainable: 18_432, total: 314_880 })).toEqual({
      fraction: 18_432 / 314_880,
      text: '18.4 k of 315 k parameters trainable (5.85 %)',
    });
    expect(parameterShare({ trainable: 0, total: 0 }).fraction).toBe(0);
  });
});

describe('compareCompletions', () => {
  it('pairs the completions before training with the current ones, prompt by prompt', () => {
    const before = [
      { input: 'a', output: 'the the', expected: 'we will' },
      { input: 'b', output: ', ,', expected: 'of this' },
    ];
    const now = [
      { input: 'a', output: 'we will ', expected: 'we will' },
      { input: 'b', output: 'the', expected: 'of this' },
    ];
    expect(compareCompletions(before, now)).toEqual([
      { prompt: 'a', expected: 'we will', before: 'the the', now: 'we will ', matches: true },
      { prompt: 'b', expected: 'of this', before: ', ,', now: 'the', matches: false },
    ]);
  });
});
