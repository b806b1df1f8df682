import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences';

describe('splitSentences', () => {
  it('splits at . ! ? followed by a capitalised word and keeps the punctuation', () => {
    expect(splitSentences('We met. They left! Did it work? Yes.')).toEqual([
      'We met.',
      'They left!',
      'Did it work?',
      'Yes.',
    ]);
  });

  it('does not split after titles and other abbreviations', () => {
    expect(splitSentences('Mr. Speaker, Mrs. Clinton and Dr. King came. St. Louis won.')).toEqual([
      'Mr. Speaker, Mrs. Clinton and Dr. King came.',
      'St. Louis won.',
    ]);
    expect(splitSentences('See No. 5 on the list. It helps.')).toEqual([
      'See No. 5 on the list.',
      'It helps.',
    ]);
  });

  it('does not split after an initial', () => {
    expect(splitSentences('George W. Bush and John F. Kennedy spoke. Then we voted.')).toEqual([
      'George W. Bush and John F. Kennedy spoke.',
      'Then we voted.',
    ]);
  });

  it('splits after a dotted acronym only before a word that usually opens a sentence', () => {
    expect(splitSentences('The U.S. Army and the U.N. Charter matter.')).toEqual([
      'The U.S. Army and the U.N. Charter matter.',
    ]);
    expect(splitSentences('We live in the U.S. We love it.')).toEqual([
      'We live in the U.S.',
      'We love it.',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence, and splits before an opening quote', () => {
    expect(splitSentences('He said, "It works." "Good," I said. (It did.) Then we left.')).toEqual([
      'He said, "It works."',
      '"Good," I said.',
      '(It did.)',
      'Then we left.',
    ]);
  });

  it('never splits before a lower-case word, inside numbers, or at colons and semicolons', () => {
    const text = 'It costs $2.5 billion, approx. three times more: We pay; They pay. The end';
    expect(splitSentences(text)).toEqual([
      'It costs $2.5 billion, approx. three times more: We pay; They pay.',
      'The end',
    ]);
  });

  it('joining the sentences with single spaces gives the text back', () => {
    const text =
      'Mr. President, thank you. The U.S. We did it! "Why?" asked Mrs. Smith. 22 years ago it began.';
    expect(splitSentences(text).join(' ')).toBe(text);
    expect(splitSentences('')).toEqual([]);
  });

  it('takes custom abbreviations', () => {
    expect(splitSentences('Ask Prof. Ada. Then go.', { abbreviations: [] })).toEqual([
      'Ask Prof.',
      'Ada.',
      'Then go.',
    ]);
  });
});
