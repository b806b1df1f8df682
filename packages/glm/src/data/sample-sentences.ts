import { InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import type { GlmBlanks } from './layout-glm-sample';
import { identityOrder } from './part-b-order';
import type { SentenceSplitter } from './sentence-splitter';

/**
 * The sentences of a text (`[CLS]` first) in sample coordinates: the splitter sees the text after
 * `[CLS]` and returns increasing exclusive end offsets $e_1 < e_2 < \dots \le n - 1$; sentence $i$
 * covers $[e_{i-1} + 1, e_i + 1)$ (with $e_0 = 0$), and a tail after the last end is a sentence of
 * its own. A splitter result that is not increasing or leaves the text is an error.
 */
export function splitSentences(
  splitter: SentenceSplitter,
  text: Int32Array,
): { starts: number[]; ends: number[] } {
  const body = text.subarray(1);
  const boundaries = splitter(body);
  const starts: number[] = [];
  const ends: number[] = [];
  let previous = 0;
  for (let index = 0; index < boundaries.length; index++) {
    const end = boundaries[index]!;
    if (!(Number.isInteger(end) && end > previous && end <= body.length)) {
      throw new InvalidArgumentError({
        functionName: 'sentenceSplitter',
        argumentName: `result[${index}]`,
        expected: `increasing sentence end offsets in (${previous}, ${body.length}]`,
        received: end,
        fix: 'return the exclusive end offset of each sentence within the text, in increasing order.',
      });
    }
    starts.push(previous + 1);
    ends.push(end + 1);
    previous = end;
  }
  if (previous < body.length) {
    starts.push(previous + 1);
    ends.push(body.length + 1);
  }
  return { starts, ends };
}

/**
 * GLM's sentence blanks: the sentences ({@link splitSentences}) are shuffled and taken until the
 * blanked total reaches $\max(1, \lfloor r \cdot n \rfloor)$; whole sentences only, returned in
 * text order.
 */
export function sampleSentences(
  splitter: SentenceSplitter,
  sentenceBlankRatio: number,
  text: Int32Array,
  random: RandomSource,
): GlmBlanks {
  const sentences = splitSentences(splitter, text);
  const target = Math.max(1, Math.floor(sentenceBlankRatio * text.length));
  const shuffled = random.shuffle(identityOrder(sentences.starts.length));
  const chosen: number[] = [];
  let blanked = 0;
  for (const sentence of shuffled) {
    chosen.push(sentence);
    blanked += sentences.ends[sentence]! - sentences.starts[sentence]!;
    if (blanked >= target) break;
  }
  chosen.sort((a, b) => a - b);
  return {
    starts: Int32Array.from(chosen, (sentence) => sentences.starts[sentence]!),
    ends: Int32Array.from(chosen, (sentence) => sentences.ends[sentence]!),
    fit: 'drawn',
  };
}
