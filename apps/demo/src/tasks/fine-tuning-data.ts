import { createRng } from '@lm-objectives/core';
import {
  type ConditionalExample,
  type ConditionalLmBatch,
  type ConditionalLmObjective,
  createConditionalLmObjective,
  type PromptCompletionExample,
} from '@lm-objectives/lora';
import type { CausalDecoder } from '@lm-objectives/models';
import { type BatchExplanation, explainBatch, type WindowContext } from '@lm-objectives/trainer';
import { openingPairs } from './conditional-examples';
import type { ConditionalTaskExplanation, DemoTask, DemoTaskOptions } from './demo-task';
import { encodeCorpus } from './encode-corpus';
import { explainConditionalRow } from './explain-conditional';

/** What the LoRA and prefix-tuning task factories take besides the common options. */
export interface FineTuningTaskOptions extends DemoTaskOptions {
  /** The pre-trained causal decoder (the causal task's model). Frozen while the task lives. */
  readonly base: CausalDecoder;
}

/** A fine-tuning task of a frozen base, with the checks the demo makes on it. */
export interface FineTuningTask extends DemoTask<ConditionalLmBatch> {
  readonly id: 'lora' | 'prefix';
  readonly model: CausalDecoder;
  /** Whether every base weight is still bit-identical to its value when the task was created. */
  baseWeightsUnchanged(): boolean;
}

/** What the LoRA and prefix-tuning tasks share: the task's pairs, objective and batches. */
export interface FineTuningData {
  /** The opening → continuation pairs (`openingPairs`). */
  readonly pairs: readonly PromptCompletionExample[];
  /** `@lm-objectives/lora`'s completion-only conditional objective. */
  readonly objective: ConditionalLmObjective;
  /** Every pair, once: the fixed evaluation batch. */
  readonly evaluationBatch: ConditionalLmBatch;
  /** `batchSize` pairs drawn with replacement. */
  nextWindow(context: WindowContext<ConditionalExample, ConditionalLmBatch>): ConditionalLmBatch[];
  /** The first pair explained (with `virtualTokens` prefix positions shown to every query). */
  explain(virtualTokens?: number): ConditionalTaskExplanation;
  /** The first pair as the trainer's per-token table. */
  explainBatch(): BatchExplanation;
}

/** Builds the fine-tuning data of the demo's conditional task from the corpus. */
export function createFineTuningData(
  options: DemoTaskOptions,
  settings: { readonly seed: number; readonly batchSize: number },
): FineTuningData {
  const { tokenizer } = options;
  const pairs = openingPairs(encodeCorpus(options.corpus, tokenizer));
  const objective = createConditionalLmObjective({
    eosTokenId: tokenizer.specialTokenIds['[EOS]'],
    padTokenId: tokenizer.specialTokenIds['[PAD]'],
    vocabularySize: tokenizer.vocabularySize,
  });
  const piece = (id: number) => tokenizer.vocabulary[id] ?? '?';
  const firstPairBatch = () =>
    objective.createBatch([pairs[0]!], { random: createRng(settings.seed) });
  return {
    pairs,
    objective,
    evaluationBatch: objective.createBatch(pairs, { random: createRng(settings.seed + 1) }),
    nextWindow: ({ random, createBatch }) => [
      createBatch(
        Array.from({ length: settings.batchSize }, () => pairs[random.int(0, pairs.length - 1)]!),
      ),
    ],
    explain: (virtualTokens = 0) =>
      explainConditionalRow(firstPairBatch(), pairs[0]!, piece, virtualTokens),
    explainBatch: () => explainBatch(objective, firstPairBatch(), { decode: piece }),
  };
}
