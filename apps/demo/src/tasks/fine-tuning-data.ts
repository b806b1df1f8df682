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
import type { ConditionalTaskExplanation, DemoTask, DemoTaskOptions } from './demo-task';
import { conditionalExplanationOf } from './explanation-of-row';
import { heldOutBaseline } from './held-out-baseline';
import type { TokenBaseline } from './token-baseline';
import { createWordReversal, type WordReversal } from './word-reversal';

/** What the LoRA and prefix-tuning task factories take besides the common options. */
export interface FineTuningTaskOptions extends DemoTaskOptions {
  /** The pre-trained causal decoder (a shipped checkpoint or the causal task's model). Frozen while the task lives. */
  readonly base: CausalDecoder;
  /** Nouns per prompt of the reversal task. Default 3. */
  readonly words?: number;
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
  /** The word-reversal task (`createWordReversal`). */
  readonly reversal: WordReversal;
  /** Its held-out pairs: the evaluation batch, the exact-match count and the samples. */
  readonly pairs: readonly PromptCompletionExample[];
  /** `@lm-objectives/lora`'s completion-only conditional objective. */
  readonly objective: ConditionalLmObjective;
  /** Every held-out pair, once: the fixed evaluation batch. */
  readonly evaluationBatch: ConditionalLmBatch;
  /** `batchSize` fresh training pairs (never a held-out prompt). */
  nextWindow(context: WindowContext<ConditionalExample, ConditionalLmBatch>): ConditionalLmBatch[];
  /** Baselines of the completion tokens (the fine-tuning checks count exact completions instead). */
  readonly baseline: TokenBaseline;
  /** The first pair explained (with `virtualTokens` prefix positions shown to every query). */
  explain(virtualTokens?: number): ConditionalTaskExplanation;
  /** The first pair as the trainer's per-token table. */
  explainBatch(): BatchExplanation;
}

/** Builds the fine-tuning data of the demo's conditional task from the corpus. */
export function createFineTuningData(
  options: DemoTaskOptions,
  settings: { readonly seed: number; readonly batchSize: number; readonly words?: number },
): FineTuningData {
  const { tokenizer } = options;
  const reversal = createWordReversal(tokenizer, {
    seed: settings.seed,
    ...(settings.words === undefined ? {} : { words: settings.words }),
  });
  const pairs = reversal.heldOut;
  const objective = createConditionalLmObjective({
    eosTokenId: tokenizer.specialTokenIds['[EOS]'],
    padTokenId: tokenizer.specialTokenIds['[PAD]'],
    vocabularySize: tokenizer.vocabularySize,
  });
  const evaluationBatch = objective.createBatch(pairs, { random: createRng(settings.seed + 1) });
  const nextWindow: FineTuningData['nextWindow'] = ({ random, createBatch }) => [
    createBatch(Array.from({ length: settings.batchSize }, () => reversal.training(random))),
  ];
  const piece = (id: number) => tokenizer.vocabulary[id] ?? '?';
  const firstPairBatch = () =>
    objective.createBatch([pairs[0]!], { random: createRng(settings.seed) });
  return {
    reversal,
    pairs,
    objective,
    evaluationBatch,
    nextWindow,
    baseline: heldOutBaseline({
      nextWindow,
      createBatch: (examples, random) => objective.createBatch(examples, { random }),
      random: createRng(settings.seed + 2),
      vocabularySize: tokenizer.vocabularySize,
      evaluationBatch,
      trainingTargets: 5_000,
    }),
    explain: (virtualTokens = 0) =>
      conditionalExplanationOf(
        explainBatch(objective, firstPairBatch(), { decode: piece }),
        piece,
        virtualTokens,
      ),
    explainBatch: () => explainBatch(objective, firstPairBatch(), { decode: piece }),
  };
}
