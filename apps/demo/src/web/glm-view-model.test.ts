import { glmAttentionMask } from '@lm-objectives/glm';
import { describe, expect, it } from 'vitest';
import type { GlmTaskExplanation } from '../tasks/demo-task';
import { glmViewModel, ordinal } from './glm-view-model';

/** The boolean `[L, L]` mask the glm package builds for one row with Part A of length `sep`. */
function packageMask(separator: number, length: number): boolean[][] {
  const { data } = glmAttentionMask([separator], length);
  return Array.from({ length }, (_, query) =>
    Array.from({ length }, (_, key) => data[query * length + key] === 1),
  );
}

// The GLM paper's example: x1 x2 [M] x4 [M] with spans x3 and x5 x6, generated x5 x6 first.
const sample: GlmTaskExplanation = {
  kind: 'glm',
  mode: 'span',
  textTokens: ['[CLS]', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'],
  partA: ['[CLS]', 'x1', 'x2', '[MASK]', 'x4', '[MASK]'],
  partB: [
    {
      blank: 1,
      start: 5,
      end: 7,
      inputTokens: ['[sop]', '▁x5', '##x6'],
      targetTokens: ['▁x5', '##x6', '[eop]'],
    },
    { blank: 0, start: 3, end: 4, inputTokens: ['[sop]', 'x3'], targetTokens: ['x3', '[eop]'] },
  ],
  tokens: ['[CLS]', 'x1', 'x2', '[MASK]', 'x4', '[MASK]', '[sop]', 'x5', 'x6', '[sop]', 'x3'],
  positionIds: [0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3],
  blockPositionIds: [0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2],
  separator: 6,
  attentionMask: packageMask(6, 11),
};

describe('glmViewModel', () => {
  it('labels each Part A mask with its blank and when the permutation generates it', () => {
    const model = glmViewModel(sample);
    expect(model.partA.map((chip) => chip.role)).toEqual([
      'special',
      'untouched',
      'untouched',
      'masked',
      'untouched',
      'masked',
    ]);
    expect(model.partA[3]?.description).toBe('position 3: blank 1, generated 2nd');
    expect(model.partA[5]?.description).toBe('position 5: blank 2, generated 1st');
  });

  it('lists Part B spans in permutation order with their text, without [eop]', () => {
    expect(glmViewModel(sample).spans).toEqual([
      { order: 1, blank: 1, start: 5, end: 7, text: 'x5x6', input: ['[sop]', 'x5', '##x6'] },
      { order: 2, blank: 0, start: 3, end: 4, text: 'x3', input: ['[sop]', 'x3'] },
    ]);
  });

  it('puts the two position rows in columns marked Part A or Part B', () => {
    const columns = glmViewModel(sample).columns;
    expect(columns.map((column) => column.position)).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3]);
    expect(columns.map((column) => column.blockPosition)).toEqual([
      0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2,
    ]);
    expect(columns.map((column) => column.part).join('')).toBe('AAAAAABBBBB');
  });

  it('counts the allowed attention pairs, equal to sep·n + (n−sep)(n−sep+1)/2 for the glm mask', () => {
    const attention = glmViewModel(sample).attention;
    // 6·11 + 5·6/2 = 81, counted independently from the glm package's mask.
    expect(attention).toEqual({ size: 11, allowed: 81, separator: 6, expectedAllowed: 81 });
    for (const [separator, length] of [
      [1, 1],
      [3, 9],
      [40, 64],
    ] as const) {
      const counted = glmViewModel({
        ...sample,
        separator,
        attentionMask: packageMask(separator, length),
      }).attention;
      expect(counted.allowed).toBe(counted.expectedAllowed);
    }
  });
});

describe('ordinal', () => {
  it('uses st, nd, rd and th, with 11–13 as th', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});
