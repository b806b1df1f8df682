import type { PromptCompletionExample } from '@lm-objectives/lora';
import type { EncodedCorpus } from './encode-corpus';

/** Options of {@link openingPairs}. */
export interface OpeningPairsOptions {
  /** Pairs taken from the start of each address. Default 1. */
  readonly pairsPerAddress?: number;
  /** Prompt length in tokens. Default 16. */
  readonly promptTokens?: number;
  /** Completion length in tokens. Default 8. */
  readonly completionTokens?: number;
}

/**
 * The demo's conditional task, built from the corpus: **the opening of an address → what comes
 * next**. Each address's first tokens are cut into `pairsPerAddress` consecutive pairs of a
 * `promptTokens` prompt and the `completionTokens` that follow it. A pre-trained language model
 * only guesses generic text there; fine-tuning teaches it these particular continuations (the
 * openings differ from address to address, so each prompt determines its completion).
 */
export function openingPairs(
  corpus: EncodedCorpus,
  options: OpeningPairsOptions = {},
): PromptCompletionExample[] {
  const pairsPerAddress = options.pairsPerAddress ?? 1;
  const promptTokens = options.promptTokens ?? 16;
  const completionTokens = options.completionTokens ?? 8;
  const pairLength = promptTokens + completionTokens;
  return corpus.documentStarts.flatMap((documentStart) =>
    Array.from({ length: pairsPerAddress }, (_, index) => {
      const start = documentStart + index * pairLength;
      return {
        prompt: corpus.stream.subarray(start, start + promptTokens),
        completion: corpus.stream.subarray(start + promptTokens, start + pairLength),
      };
    }),
  );
}
