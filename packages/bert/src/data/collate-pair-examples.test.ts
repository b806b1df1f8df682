import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../testing/expect-invalid-argument';
import { type CollatePairExamplesOptions, collatePairExamples } from './collate-pair-examples';
import type { BertPairExample } from './create-next-sentence-pair-builder';

const PAD = 0;

function example(ids: number[], split: number, label: 0 | 1, wordIds?: number[]): BertPairExample {
  return {
    inputIds: Int32Array.from(ids),
    segmentIds: Int32Array.from(ids.map((_, index) => (index < split ? 0 : 1))),
    nextSentenceLabel: label,
    ...(wordIds ? { wordIds: Int32Array.from(wordIds) } : {}),
  };
}

const SHORT = example([1, 10, 2, 20, 2], 3, 0);
const LONG = example([1, 10, 11, 2, 20, 21, 22, 2], 4, 1);

describe('collatePairExamples', () => {
  it('right-pads ids with [PAD], segment ids with 0, and marks real tokens in the attention mask', () => {
    const batch = collatePairExamples([SHORT, LONG], { padTokenId: PAD });
    expect(batch.shape).toEqual([2, 8]);
    expect(Array.from(batch.inputIds)).toEqual([
      1, 10, 2, 20, 2, 0, 0, 0, 1, 10, 11, 2, 20, 21, 22, 2,
    ]);
    expect(Array.from(batch.segmentIds)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(batch.attentionMask)).toEqual([
      1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
    ]);
    expect(Array.from(batch.nextSentenceLabels)).toEqual([0, 1]);
    expect(batch.wordIds).toBeUndefined();
  });

  it('pads to a fixed sequenceLength, with another [PAD] id', () => {
    const batch = collatePairExamples([SHORT], { padTokenId: 9, sequenceLength: 7 });
    expect(batch.shape).toEqual([1, 7]);
    expect(Array.from(batch.inputIds)).toEqual([1, 10, 2, 20, 2, 9, 9]);
  });

  it('carries word ids, padded with −1', () => {
    const batch = collatePairExamples(
      [
        example([1, 10, 2, 20, 2], 3, 0, [-1, 0, -1, 0, -1]),
        example([1, 2, 30, 2], 2, 1, [-1, -1, 0, -1]),
      ],
      { padTokenId: PAD },
    );
    expect(Array.from(batch.wordIds!)).toEqual([-1, 0, -1, 0, -1, -1, -1, 0, -1, -1]);
  });

  const fn = 'collatePairExamples';
  it('refuses an empty batch, an example longer than sequenceLength and a label other than 0/1', () => {
    expectInvalidArgument(() => collatePairExamples([], { padTokenId: PAD }), fn, 'examples', [
      'non-empty',
    ]);
    expectInvalidArgument(
      () => collatePairExamples([SHORT, LONG], { padTokenId: PAD, sequenceLength: 6 }),
      fn,
      'examples[1].inputIds',
      ['at most 6 tokens'],
    );
    expectInvalidArgument(
      () => collatePairExamples([{ ...SHORT, nextSentenceLabel: 2 as 0 }], { padTokenId: PAD }),
      fn,
      'examples[0].nextSentenceLabel',
      ['1 (B is random, NotNext)'],
    );
  });

  it('refuses segment or word ids of the wrong length, and word ids on only some examples', () => {
    expectInvalidArgument(
      () =>
        collatePairExamples([{ ...SHORT, segmentIds: Int32Array.of(0, 0) }], { padTokenId: PAD }),
      fn,
      'examples[0].segmentIds',
      ['5 integers'],
      'shape',
    );
    expectInvalidArgument(
      () => collatePairExamples([{ ...SHORT, wordIds: Int32Array.of(0) }], { padTokenId: PAD }),
      fn,
      'examples[0].wordIds',
      [],
      'shape',
    );
    expectInvalidArgument(
      () => collatePairExamples([example([1, 2], 1, 0, [-1, -1]), SHORT], { padTokenId: PAD }),
      fn,
      'examples[1].wordIds',
      ['on every example'],
    );
  });

  it('refuses bad options and examples without token ids', () => {
    expectInvalidArgument(
      () => collatePairExamples([SHORT], {} as CollatePairExamplesOptions),
      fn,
      'options.padTokenId',
    );
    expectInvalidArgument(
      () =>
        collatePairExamples([SHORT], {
          padTokenId: PAD,
          sequence_length: 8,
        } as unknown as CollatePairExamplesOptions),
      fn,
      'options.sequence_length',
    );
    expectInvalidArgument(
      () => collatePairExamples([{} as BertPairExample], { padTokenId: PAD }),
      fn,
      'examples[0].inputIds',
    );
  });
});
