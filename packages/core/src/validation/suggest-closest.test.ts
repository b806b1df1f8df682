import { describe, expect, it } from 'vitest';
import { suggestClosest } from './suggest-closest';

const TRAINER_OPTIONS = ['learningRate', 'weightDecay', 'onProgress', 'maxGradientNorm'];

describe('suggestClosest', () => {
  it.each([
    ['weight_decay', 'weightDecay'],
    ['learningrate', 'learningRate'],
    ['on_progress', 'onProgress'],
    ['LearningRate', 'learningRate'],
    ['weight-decay', 'weightDecay'],
    ['lerningRate', 'learningRate'],
    ['maxGradeintNorm', 'maxGradientNorm'],
  ])('suggests %s → %s', (name, expected) => {
    expect(suggestClosest(name, TRAINER_OPTIONS)).toBe(expected);
  });

  it('finds a one-letter slip in a short name', () => {
    expect(suggestClosest('replce', ['replace'])).toBe('replace');
    expect(suggestClosest('meen', ['mean', 'sum', 'none'])).toBe('mean');
  });

  it('counts a swap of two neighbours as one edit', () => {
    expect(suggestClosest('lenght', ['length', 'depth'])).toBe('length');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(suggestClosest('lr', TRAINER_OPTIONS)).toBeUndefined();
    expect(suggestClosest('banana', TRAINER_OPTIONS)).toBeUndefined();
    expect(suggestClosest('x', [])).toBeUndefined();
  });

  it('never suggests the name itself, and prefers the earlier candidate on a tie', () => {
    expect(suggestClosest('mean', ['mean'])).toBeUndefined();
    expect(suggestClosest('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('prefers the closest of several near candidates', () => {
    expect(suggestClosest('maskTokenI', ['maskTokenIds', 'maskTokenId'])).toBe('maskTokenId');
  });
});
