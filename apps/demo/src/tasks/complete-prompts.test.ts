import { describe, expect, it } from 'vitest';
import { countExactMatches } from './complete-prompts';

const pair = (completion: number[]) => ({ prompt: [1, 2], completion });

describe('countExactMatches', () => {
  it('counts a completion only when it is the expected tokens, no more and no fewer', () => {
    const pairs = [pair([5, 6, 7]), pair([5, 6, 7]), pair([5, 6, 7]), pair([5, 6, 7]), pair([8])];
    const completions = [[5, 6, 7], [5, 6], [5, 6, 7, 9], [7, 6, 5], [8]];
    expect(countExactMatches(completions, pairs)).toEqual({ matched: 2, total: 5 });
  });

  it('counts a missing completion as a miss', () => {
    expect(countExactMatches([], [pair([3])])).toEqual({ matched: 0, total: 1 });
  });
});
