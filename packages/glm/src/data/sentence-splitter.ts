import { checkOptionsObject, InvalidArgumentError } from '@lm-objectives/core';

/**
 * Splits a text into sentences for GLM's sentence infilling.
 *
 * Receives the text's token ids (without `[CLS]`) and returns, in increasing order, the
 * **exclusive end offset** of each sentence in that array: `[3, 7]` for a text of 9 tokens means
 * sentences `0…2`, `3…6` and `7…8` (a last sentence without its own end runs to the end of the text).
 * Any function of this shape works: a punctuation rule ({@link createSentenceSplitter}), offsets
 * kept from the tokenizer's own sentence segmentation, blank lines for code, …
 */
export type SentenceSplitter = (text: Int32Array) => ArrayLike<number>;

/**
 * The marks that end a sentence by default: the reference's `. ? ! ; :` and newline, and the CJK
 * marks `。？！；…`. A token whose text contains any of them ends a sentence.
 */
export const DEFAULT_SENTENCE_END_MARKS: readonly string[] = Object.freeze([
  '.',
  '?',
  '!',
  ';',
  ':',
  '\n',
  '。',
  '？',
  '！',
  '；',
  '…',
]);

/** Options of {@link createSentenceSplitter}: the vocabulary, and which marks end a sentence. */
export interface SentenceSplitterOptions {
  /**
   * The text of each token id: an array indexed by id (a tokenizer's vocabulary list), or a
   * function. Byte-level tokens should be decoded to text first (e.g. `Ġ.` → ` .`).
   */
  readonly vocabulary: readonly string[] | ((tokenId: number) => string | undefined);
  /** Marks that end a sentence when they occur anywhere in a token. Default {@link DEFAULT_SENTENCE_END_MARKS}. */
  readonly endMarks?: readonly string[];
}

/**
 * A {@link SentenceSplitter} that ends a sentence after every token whose text contains an end mark
 * (by default `. ? ! ; :`, newline and `。？！；…`), as the GLM reference does: so `"Hello."` and
 * `"。"` end sentences in English and Chinese alike. Each token's verdict is cached, so splitting
 * costs one table look-up per token after the first sight of an id.
 *
 * @example
 * const splitter = createSentenceSplitter({ vocabulary: tokenizer.vocabulary });
 * splitter(Int32Array.from(tokenizer.encode('你好。再见！Bye.'))); // e.g. [2, 4, 6]
 */
export function createSentenceSplitter(options: SentenceSplitterOptions): SentenceSplitter {
  const functionName = 'createSentenceSplitter';
  checkOptionsObject({ functionName, argumentName: 'options' }, options, {
    required: ['vocabulary'],
    allowed: ['vocabulary', 'endMarks'],
  });
  const { vocabulary, endMarks = DEFAULT_SENTENCE_END_MARKS } = options;
  if (!Array.isArray(vocabulary) && typeof vocabulary !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.vocabulary',
      expected: 'an array of token texts indexed by id, or a function from id to text',
      received: vocabulary,
      fix: 'pass tokenizer.vocabulary, or (id) => tokenizer.decode([id]).',
    });
  }
  if (
    !Array.isArray(endMarks) ||
    endMarks.length === 0 ||
    endMarks.some((mark) => typeof mark !== 'string' || mark === '')
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.endMarks',
      expected: 'a non-empty array of non-empty strings',
      received: endMarks,
      fix: "pass the marks that end a sentence, e.g. ['.', '?', '!', '\\n'].",
    });
  }
  const textOf =
    typeof vocabulary === 'function'
      ? vocabulary
      : (tokenId: number): string | undefined => vocabulary[tokenId];
  const marks = [...endMarks];
  const verdicts = new Map<number, boolean>();
  const endsSentence = (tokenId: number): boolean => {
    let verdict = verdicts.get(tokenId);
    if (verdict === undefined) {
      const text = textOf(tokenId) ?? '';
      verdict = marks.some((mark) => text.includes(mark));
      verdicts.set(tokenId, verdict);
    }
    return verdict;
  };
  return (text) => {
    const ends: number[] = [];
    for (let index = 0; index < text.length; index++) {
      if (endsSentence(text[index]!)) ends.push(index + 1);
    }
    return ends;
  };
}
