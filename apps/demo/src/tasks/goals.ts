import type { DemoTaskId, TaskEvaluation } from './demo-task';
import type { TokenBaseline } from './token-baseline';

/** A pre-training task's held-out loss must end at least this many nats below its unigram loss. */
export const UNIGRAM_MARGIN = 0.5;

/** BERT's and GLM's held-out accuracy must reach this multiple of the most-frequent-token rate. */
export const ACCURACY_FACTOR = 2;

/** The pre-training tasks whose accuracy is checked (the causal model's is shown, not checked). */
const ACCURACY_CHECKED: readonly DemoTaskId[] = ['bert', 'glm'];

/** LoRA must complete at least this many held-out prompts exactly (out of the 10). */
export const LORA_MIN_EXACT_MATCHES = 9;

/** Prefix tuning's held-out loss must end at most this share of its initial value. */
export const PREFIX_LOSS_FACTOR = 0.5;

/** LoRA must train less than this share of the parameters. */
export const LORA_MAX_TRAINABLE_SHARE = 0.1;

/** One pass/fail check of a phase. */
export interface PhaseCheck {
  /** What is checked, e.g. `'held-out loss ≤ unigram − 0.5'`. */
  readonly name: string;
  readonly passed: boolean;
  /** The measured value, e.g. `'5.91 ≤ 6.01'`. */
  readonly detail: string;
}

/**
 * The checks of a pre-training phase on held-out text: the loss per scored token at least
 * {@link UNIGRAM_MARGIN} nats below the unigram loss, and (BERT, GLM) the top-1 accuracy at least
 * {@link ACCURACY_FACTOR} times the most-frequent-token rate.
 */
export function pretrainingChecks(
  id: DemoTaskId,
  baseline: TokenBaseline,
  after: TaskEvaluation,
): PhaseCheck[] {
  const limit = baseline.unigramLoss - UNIGRAM_MARGIN;
  const checks: PhaseCheck[] = [
    {
      name: `held-out loss ≤ unigram − ${UNIGRAM_MARGIN}`,
      passed: Number.isFinite(after.tokenLoss) && after.tokenLoss <= limit,
      detail: `${after.tokenLoss.toFixed(3)} ≤ ${limit.toFixed(3)}`,
    },
  ];
  if (ACCURACY_CHECKED.includes(id)) {
    const accuracy = after.accuracy ?? Number.NaN;
    const needed = ACCURACY_FACTOR * baseline.mostFrequentRate;
    checks.push({
      name: `held-out accuracy ≥ ${ACCURACY_FACTOR} × most-frequent-token rate`,
      passed: accuracy >= needed,
      detail: `${percent(accuracy)} ≥ ${percent(needed)}`,
    });
  }
  return checks;
}

/**
 * The checks of a fine-tuning phase on the held-out prompts: no exact completion before training
 * (the task is new to the base), and afterwards at least {@link LORA_MIN_EXACT_MATCHES} (LoRA) or
 * a held-out loss at most {@link PREFIX_LOSS_FACTOR} of its start (prefix tuning, which is held
 * to less: see the README).
 */
export function fineTuningChecks(
  id: 'lora' | 'prefix',
  before: TaskEvaluation,
  after: TaskEvaluation,
): PhaseCheck[] {
  const matchesBefore = before.exactMatches?.matched ?? Number.NaN;
  const matchesAfter = after.exactMatches?.matched ?? Number.NaN;
  const total = after.exactMatches?.total ?? 0;
  const checks: PhaseCheck[] = [
    {
      name: 'no exact completion before training',
      passed: matchesBefore === 0,
      detail: `${matchesBefore} of ${total}`,
    },
  ];
  if (id === 'lora') {
    checks.push({
      name: `≥ ${LORA_MIN_EXACT_MATCHES} exact completions after training`,
      passed: matchesAfter >= LORA_MIN_EXACT_MATCHES,
      detail: `${matchesAfter} of ${total}`,
    });
  } else {
    const limit = PREFIX_LOSS_FACTOR * before.loss;
    checks.push({
      name: `held-out loss ≤ ${PREFIX_LOSS_FACTOR} × initial`,
      passed: Number.isFinite(after.loss) && after.loss <= limit,
      detail: `${after.loss.toFixed(3)} ≤ ${limit.toFixed(3)}`,
    });
  }
  return checks;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}
