import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { continuationTokenIdsFromVocabulary } from './continuation-token-ids-from-vocabulary';

describe('continuationTokenIdsFromVocabulary', () => {
  it('lists the ids of tokens that start with ## (but not ## itself)', () => {
    const vocabulary = [
      '[PAD]',
      '[CLS]',
      'play',
      '##ing',
      '##',
      'un',
      '##believ',
      '##able',
      '#tag',
    ];
    expect(Array.from(continuationTokenIdsFromVocabulary(vocabulary))).toEqual([3, 6, 7]);
  });

  it('takes another marker, e.g. SentencePiece-style pieces without ▁', () => {
    expect(Array.from(continuationTokenIdsFromVocabulary(['▁a', '@@b', 'c'], '@@'))).toEqual([1]);
  });

  it('refuses a vocabulary that is not an array and an empty marker', () => {
    expectInvalidArgument(
      () => continuationTokenIdsFromVocabulary('a\nb' as unknown as string[]),
      'continuationTokenIdsFromVocabulary',
      'vocabulary',
    );
    expectInvalidArgument(
      () => continuationTokenIdsFromVocabulary(['a'], ''),
      'continuationTokenIdsFromVocabulary',
      'prefix',
    );
  });
});
