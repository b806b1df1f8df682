import { describe, expect, it } from 'vitest';
import type { BertTaskExplanation } from '../tasks/demo-task';
import { bertViewModel } from './bert-view-model';

// A hand-made pair: [CLS] ▁the ▁nation [SEP] ▁we ##ll [SEP], with one position of each action.
const pair: BertTaskExplanation = {
  kind: 'bert',
  tokens: ['[CLS]', '[MASK]', '▁apple', '[SEP]', '▁we', '##ll', '[SEP]'],
  originalTokens: ['[CLS]', '▁the', '▁nation', '[SEP]', '▁we', '##ll', '[SEP]'],
  actions: ['none', 'masked', 'random', 'none', 'kept', 'none', 'none'],
  tokenTypeIds: [0, 0, 0, 0, 1, 1, 1],
  isNext: false,
};

describe('bertViewModel', () => {
  it('gives each position the role of what the masker did, special tokens apart', () => {
    const model = bertViewModel(pair);
    expect(model.chips.map((chip) => chip.role)).toEqual([
      'special',
      'masked',
      'random',
      'special',
      'kept',
      'untouched',
      'special',
    ]);
    expect(model.counts).toEqual({ masked: 1, random: 1, kept: 1, untouched: 1 });
  });

  it('shows tokens without the space marker and names the original token of replaced positions', () => {
    const model = bertViewModel(pair);
    expect(model.chips.map((chip) => chip.text)).toEqual([
      '[CLS]',
      '[MASK]',
      'apple',
      '[SEP]',
      'we',
      '##ll',
      '[SEP]',
    ]);
    expect(model.chips[1]?.description).toBe('position 1: masked, was “the”');
    expect(model.chips[2]?.description).toBe('position 2: random token “apple”, was “nation”');
    expect(model.chips[4]?.description).toBe('position 4: selected and kept “we”');
  });

  it('keeps the segment of every chip so sentence B can be marked', () => {
    expect(bertViewModel(pair).chips.map((chip) => chip.segment)).toEqual([0, 0, 0, 0, 1, 1, 1]);
  });

  it('states the NSP label with its class index', () => {
    expect(bertViewModel(pair).nextSentenceLabel).toBe('NotNext');
    expect(bertViewModel(pair).nextSentenceText).toBe(
      '(class 1): sentence B was drawn from another address.',
    );
    const next = bertViewModel({ ...pair, isNext: true });
    expect(next.nextSentenceLabel).toBe('IsNext');
    expect(next.nextSentenceText).toBe('(class 0): sentence B follows sentence A in the address.');
  });
});
