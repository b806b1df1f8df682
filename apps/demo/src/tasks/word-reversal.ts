import { createRng, type RandomSource } from '@lm-objectives/core';
import type { PromptCompletionExample } from '@lm-objectives/lora';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';

/**
 * Frequent nouns of the addresses (each one token of the demo vocabulary): the words the
 * fine-tuning task reverses. Nouns read well reversed; the most frequent words of the corpus are
 * function words ("the", "and", "that"), whose reversals are hard to read and to check by eye.
 */
export const REVERSAL_NOUNS: readonly string[] = Object.freeze(
  (
    'people work world children country health jobs budget future plan tax welfare families ' +
    'economy home child education reform community parents century system nation crime peace ' +
    'schools freedom family security program citizens workers growth opportunity college ' +
    'democracy investment money business history insurance law trade teachers income weapons ' +
    'energy environment government'
  ).split(' '),
);

/** Options of {@link createWordReversal}. */
export interface WordReversalOptions {
  /** Words per prompt. Default 3. */
  readonly words?: number;
  /** Held-out prompts (never drawn for training). Default 10. */
  readonly heldOut?: number;
  /** Seeds the held-out prompts. Default 1. */
  readonly seed?: number;
}

/** The fine-tuning task's data: random training prompts and a fixed set of held-out ones. */
export interface WordReversal {
  /** The nouns' token ids. */
  readonly vocabulary: Int32Array;
  /** The held-out prompt → completion pairs: what the exact-match count is measured on. */
  readonly heldOut: readonly PromptCompletionExample[];
  /** A fresh training pair (never one of the held-out prompts). */
  training(random: RandomSource): PromptCompletionExample;
}

/**
 * The demo's fine-tuning task: **the words of the prompt in reverse order**. A prompt is `words`
 * distinct nouns of {@link REVERSAL_NOUNS} and `[SEP]` (`jobs schools families [SEP]`); the
 * completion is the same nouns backwards (`families schools jobs`), then `[EOS]`. A pre-trained
 * language model never saw this transformation (0 exact completions before fine-tuning), a small
 * adapter can learn it (it only moves tokens by position), and held-out prompts — word
 * combinations no training pair has — show that it learnt the rule, not the pairs.
 */
export function createWordReversal(
  tokenizer: WordPieceTokenizer,
  options: WordReversalOptions = {},
): WordReversal {
  const words = options.words ?? 3;
  const ids = REVERSAL_NOUNS.map((noun) => tokenizer.encode(noun).ids);
  const unsplit = ids.filter((pieces) => pieces.length === 1).map((pieces) => pieces[0]!);
  const vocabulary = Int32Array.from(unsplit);
  const separator = tokenizer.specialTokenIds['[SEP]'];
  const draw = (random: RandomSource): number[] => {
    const drawn: number[] = [];
    while (drawn.length < words) {
      const id = vocabulary[random.int(0, vocabulary.length - 1)]!;
      if (!drawn.includes(id)) drawn.push(id);
    }
    return drawn;
  };
  const pair = (drawn: readonly number[]): PromptCompletionExample => ({
    prompt: Int32Array.from([...drawn, separator]),
    completion: Int32Array.from([...drawn].reverse()),
  });
  const heldOutRandom = createRng(options.seed ?? 1);
  const heldOutKeys = new Set<string>();
  const heldOut: PromptCompletionExample[] = [];
  while (heldOut.length < (options.heldOut ?? 10)) {
    const drawn = draw(heldOutRandom);
    if (heldOutKeys.has(drawn.join(' '))) continue;
    heldOutKeys.add(drawn.join(' '));
    heldOut.push(pair(drawn));
  }
  return {
    vocabulary,
    heldOut,
    training(random) {
      for (;;) {
        const drawn = draw(random);
        if (!heldOutKeys.has(drawn.join(' '))) return pair(drawn);
      }
    },
  };
}
