import { InvalidArgumentError } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { createSentenceSplitter, DEFAULT_SENTENCE_END_MARKS } from './sentence-splitter';

// A toy vocabulary mixing English word pieces, Chinese characters and code.
const VOCABULARY = [
  'Hello', // 0
  ' world', // 1
  '.', // 2
  ' How', // 3
  '?', // 4
  '你', // 5
  '好', // 6
  '。', // 7
  '！', // 8
  '？', // 9
  '；', // 10
  '…', // 11
  '\n', // 12
  'x', // 13
  ' =', // 14
  ' 1', // 15
  ';', // 16
  '!")', // 17: a mark inside a longer token still ends the sentence
  ':', // 18
];

describe('createSentenceSplitter', () => {
  const split = createSentenceSplitter({ vocabulary: VOCABULARY });
  const ends = (ids: number[]) => Array.from(split(Int32Array.from(ids)));

  it('ends sentences at . ? ! ; : and newline, as the reference does', () => {
    expect(ends([0, 1, 2, 3, 1, 4, 0])).toEqual([3, 6]);
    expect(ends([13, 14, 15, 16, 13, 14, 15, 12, 0, 18, 0])).toEqual([4, 8, 10]);
    expect(ends([0, 17, 0])).toEqual([2]);
  });

  it('ends sentences at the CJK marks 。？！；…', () => {
    expect(ends([5, 6, 7, 5, 8, 6, 9, 5, 10, 6, 11, 5])).toEqual([3, 5, 7, 9, 11]);
  });

  it('gives no boundary for a text without marks, and handles the empty text', () => {
    expect(ends([0, 1, 0])).toEqual([]);
    expect(ends([])).toEqual([]);
  });

  it('takes a function vocabulary and custom marks (blank lines for code)', () => {
    const code = createSentenceSplitter({
      vocabulary: (id) => ['def', ' f', '():', '\n\n', '    return'][id],
      endMarks: ['\n\n'],
    });
    expect(Array.from(code(Int32Array.from([0, 1, 2, 4, 3, 0, 1, 2])))).toEqual([5]);
    // Unknown ids count as text without marks.
    expect(Array.from(code(Int32Array.from([99, 3])))).toEqual([2]);
  });

  it('ends a sentence at each default mark, and at nothing else in the vocabulary', () => {
    expect(DEFAULT_SENTENCE_END_MARKS.join('')).toBe('.?!;:\n。？！；…');
    const marksOnly = createSentenceSplitter({
      vocabulary: [...DEFAULT_SENTENCE_END_MARKS, 'word'],
    });
    const ids = Int32Array.from(DEFAULT_SENTENCE_END_MARKS.keys());
    expect(Array.from(marksOnly(ids))).toEqual(Array.from(ids, (id) => id + 1));
    expect(Array.from(marksOnly(Int32Array.of(11, 11)))).toEqual([]);
  });

  it('refuses a misspelt option, suggesting the valid name', () => {
    expectInvalidArgument(
      () => createSentenceSplitter({ vocabulary: VOCABULARY, endmarks: ['.'] } as never),
      'createSentenceSplitter',
      'options.endmarks',
      ["did you mean 'endMarks'?"],
    );
  });

  it('refuses a missing vocabulary and empty marks', () => {
    expect(() => createSentenceSplitter({} as never)).toThrow(
      "createSentenceSplitter: argument 'options.vocabulary' is invalid",
    );
    expect(() => createSentenceSplitter({ vocabulary: VOCABULARY, endMarks: [''] })).toThrow(
      InvalidArgumentError,
    );
  });
});
