import type { CausalDecoder } from '@lm-objectives/models';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import type { SamplePrediction } from './demo-task';
import { greedyComplete } from './greedy-complete';

/** A prompt and the completion the model should produce. */
export interface PromptPair {
  readonly prompt: ArrayLike<number>;
  readonly completion: ArrayLike<number>;
}

/** Per-layer keys and values every query also sees (prefix tuning), as `greedyComplete` takes them. */
export type PrefixKeyValueSource = NonNullable<
  Parameters<typeof greedyComplete>[2]['prefixKeyValues']
>;

/** The greedy completion of each prompt: up to its true length + 2 tokens, stopping at `[EOS]`. */
export function greedyCompletions(
  model: CausalDecoder,
  tokenizer: WordPieceTokenizer,
  pairs: readonly PromptPair[],
  prefixKeyValues?: PrefixKeyValueSource,
): number[][] {
  return pairs.map((pair) =>
    greedyComplete(model, pair.prompt, {
      maxTokens: pair.completion.length + 2,
      stopId: tokenizer.specialTokenIds['[EOS]'],
      maxLength: model.config.maxPositions,
      ...(prefixKeyValues ? { prefixKeyValues } : {}),
    }),
  );
}

/** Greedy completions of prompt/completion pairs, decoded, with the true completion. */
export function completePrompts(
  model: CausalDecoder,
  tokenizer: WordPieceTokenizer,
  pairs: readonly PromptPair[],
  prefixKeyValues?: PrefixKeyValueSource,
): SamplePrediction[] {
  const completions = greedyCompletions(model, tokenizer, pairs, prefixKeyValues);
  return pairs.map((pair, index) => ({
    input: tokenizer.decode(pair.prompt),
    output: tokenizer.decode(completions[index]!),
    expected: tokenizer.decode(pair.completion),
  }));
}

/**
 * How many `completions` are exactly their pair's expected tokens (`greedyComplete` stops at
 * `[EOS]` and leaves it out, so an exact completion also ended where it should).
 */
export function countExactMatches(
  completions: readonly (readonly number[])[],
  pairs: readonly PromptPair[],
): { readonly matched: number; readonly total: number } {
  const matched = pairs.filter((pair, index) => {
    const completion = completions[index] ?? [];
    return (
      completion.length === pair.completion.length &&
      completion.every((id, position) => id === pair.completion[position])
    );
  }).length;
  return { matched, total: pairs.length };
}

/** {@link countExactMatches} of the model's greedy completions of `pairs`. */
export function exactMatches(
  model: CausalDecoder,
  tokenizer: WordPieceTokenizer,
  pairs: readonly PromptPair[],
  prefixKeyValues?: PrefixKeyValueSource,
): { readonly matched: number; readonly total: number } {
  return countExactMatches(greedyCompletions(model, tokenizer, pairs, prefixKeyValues), pairs);
}
