import type { RandomSource } from '@lm-objectives/core';
import type { CorpusSplit, CorpusText } from './corpus-split';

/**
 * Windows of the split corpus: the data of the language-model tasks (GLM texts, causal
 * pre-training). Training windows come from the training text only, evaluation windows from the
 * held-out text only.
 */
export interface TokenWindows {
  /** A window of the training text that starts where a sentence starts. */
  training(random: RandomSource): Int32Array;
  /**
   * The held-out text cut into consecutive windows (the first starts with a sentence), at most
   * `count` of them; the same every call.
   */
  heldOut(count?: number): Int32Array[];
}

/** Options of {@link createTokenWindows}. */
export interface TokenWindowOptions {
  /**
   * End every window where a word ends (drop a trailing `##` piece's word), so no window cuts a
   * word in two: a GLM blank then never starts or ends inside a word. Windows are then up to
   * `length` tokens long. Default `false` (exactly `length` tokens).
   */
  readonly wholeWords?: boolean;
}

/** Windows of `length` tokens over the split corpus. */
export function createTokenWindows(
  split: CorpusSplit,
  length: number,
  options: TokenWindowOptions = {},
): TokenWindows {
  const wholeWords = options.wholeWords ?? false;
  const { training } = split;
  // Sentence starts with a whole window after them.
  let usable = training.sentenceStarts.length;
  while (usable > 1 && training.sentenceStarts[usable - 1]! + length > training.stream.length) {
    usable -= 1;
  }
  const heldOutWindows = cutConsecutive(split.heldOut, length, wholeWords);
  return {
    training: (random) => {
      const start = training.sentenceStarts[random.int(0, usable - 1)]!;
      return training.stream.subarray(start, windowEnd(training, start, length, wholeWords));
    },
    heldOut: (count = heldOutWindows.length) => heldOutWindows.slice(0, count),
  };
}

/** Where a window from `start` ends: `length` tokens on, or (whole words) the last word start before that. */
function windowEnd(text: CorpusText, start: number, length: number, wholeWords: boolean): number {
  let end = Math.min(start + length, text.stream.length);
  if (!wholeWords || end === text.stream.length) return end;
  while (end > start + 1 && text.wordStarts[end] !== 1) end -= 1;
  return end;
}

function cutConsecutive(text: CorpusText, length: number, wholeWords: boolean): Int32Array[] {
  const windows: Int32Array[] = [];
  let start = text.sentenceStarts[0] ?? 0;
  while (start + length <= text.stream.length) {
    const end = windowEnd(text, start, length, wholeWords);
    windows.push(text.stream.subarray(start, end));
    start = end;
  }
  return windows;
}
