import type {
  ConditionalTaskExplanation,
  SamplePrediction,
  TaskParameterCounts,
} from '../tasks/demo-task';
import { formatCount, formatPercent } from './format-numbers';
import { displayToken, type TokenChip } from './token-chip';

/** A conditional-LM token chip and whether the loss scores it. */
export interface ConditionalChip extends TokenChip {
  readonly inLoss: boolean;
}

/** What the LoRA view draws of the explained row. */
export interface ConditionalViewModel {
  readonly chips: readonly ConditionalChip[];
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Tokens whose label is scored (the loss mask's ones). */
  readonly scoredTokens: number;
  readonly virtualTokens: number;
}

/**
 * Splits an explained conditional row into prompt and completion chips with the loss mask: only
 * completion tokens are scored, so the model is never trained to reproduce the prompt.
 */
export function conditionalViewModel(
  explanation: ConditionalTaskExplanation,
): ConditionalViewModel {
  let promptTokens = 0;
  let completionTokens = 0;
  let scoredTokens = 0;
  const chips = explanation.tokens.map((token, index): ConditionalChip => {
    const role = explanation.roles[index] ?? 'prompt';
    const inLoss = (explanation.lossMask[index] ?? 0) === 1;
    if (role === 'prompt') promptTokens += 1;
    else completionTokens += 1;
    if (inLoss) scoredTokens += 1;
    const text = displayToken(token);
    return {
      text,
      role,
      inLoss,
      description: `position ${index}: ${role} “${text}”, ${inLoss ? 'scored by the loss' : 'not scored (label −100)'}`,
    };
  });
  return {
    chips,
    promptTokens,
    completionTokens,
    scoredTokens,
    virtualTokens: explanation.virtualTokens,
  };
}

/** Trainable versus total parameters, e.g. `'12.3 k of 1.23 M parameters trainable (1.00 %)'`. */
export function parameterShare(counts: TaskParameterCounts): {
  readonly fraction: number;
  readonly text: string;
} {
  const fraction = counts.total > 0 ? counts.trainable / counts.total : 0;
  return {
    fraction,
    text: `${formatCount(counts.trainable)} of ${formatCount(counts.total)} parameters trainable (${formatPercent(fraction, 2)})`,
  };
}

/** One prompt's completion before training and now, with the expected text. */
export interface CompletionComparison {
  readonly prompt: string;
  readonly expected: string;
  readonly before: string;
  readonly now: string;
  /** Whether the current completion equals the expected one (ignoring surrounding spaces). */
  readonly matches: boolean;
}

/**
 * Pairs the sample predictions taken before the first step with the latest ones, prompt by
 * prompt (the task's fixed examples come back in the same order every time).
 */
export function compareCompletions(
  before: readonly SamplePrediction[],
  now: readonly SamplePrediction[],
): CompletionComparison[] {
  return now.map((sample, index) => ({
    prompt: sample.input,
    expected: sample.expected,
    before: before[index]?.output ?? '',
    now: sample.output,
    matches: sample.output.trim() === sample.expected.trim(),
  }));
}
