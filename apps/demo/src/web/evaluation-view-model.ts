import type { TaskEvaluation } from '../tasks/demo-task';
import { fineTuningChecks, type PhaseCheck, pretrainingChecks } from '../tasks/goals';
import type { ModelStart, TaskSummary } from './protocol';

/** One row of the held-out table: a measure before training, now, and the reference it is held to. */
export interface EvaluationRow {
  readonly label: string;
  readonly before: string;
  readonly now: string;
  /** The baseline or goal, e.g. `'unigram 6.501'`, or `''`. */
  readonly reference: string;
}

/** What the held-out panel shows. */
export interface EvaluationViewModel {
  /** One sentence on what the numbers are measured on. */
  readonly caption: string;
  /** Where the model started, e.g. `'from scratch'`. */
  readonly start: string;
  readonly rows: readonly EvaluationRow[];
  /** The demo's goals for this objective at the current step (the CLI's checks). */
  readonly goals: readonly PhaseCheck[];
  /** The step of the "now" column. */
  readonly step: number;
}

/** How the page names where a model started. */
export function startDescription(start: ModelStart): string {
  switch (start.kind) {
    case 'scratch':
      return 'from scratch (fresh weights)';
    case 'pretrained':
      return `from the shipped checkpoint (pre-trained ${start.steps} steps by scripts/train-checkpoints.ts), training on at a tenth of the peak learning rate`;
    case 'checkpoint':
      return `frozen base: the shipped causal checkpoint (pre-trained ${start.steps} steps by scripts/train-checkpoints.ts)`;
    case 'page':
      return `frozen base: a causal model pre-trained ${start.steps} steps from scratch on this page`;
  }
}

const loss = (value: number) => value.toFixed(3);
const percent = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '—' : `${(100 * value).toFixed(1)} %`;

/**
 * The held-out numbers before training and now, next to their baselines: for a pre-training
 * objective its loss per scored token against $\ln V$ and the unigram loss, its accuracy against
 * the most-frequent-token rate (BERT also next-sentence accuracy); for a fine-tuning method its
 * loss and the exact completions of the held-out prompts. `goals` are the CLI's checks.
 */
export function evaluationViewModel(
  summary: TaskSummary,
  before: TaskEvaluation,
  now: TaskEvaluation,
  step: number,
): EvaluationViewModel {
  const { baseline, objective } = summary;
  const start = startDescription(summary.start);
  if (objective === 'lora' || objective === 'prefix') {
    const exact = (evaluation: TaskEvaluation) =>
      evaluation.exactMatches
        ? `${evaluation.exactMatches.matched} of ${evaluation.exactMatches.total}`
        : '—';
    return {
      caption: 'Measured on held-out prompts: noun triples no training pair has.',
      start,
      step,
      rows: [
        {
          label: 'loss per completion token',
          before: loss(before.loss),
          now: loss(now.loss),
          reference: `ln V ${loss(baseline.uniformLoss)}`,
        },
        {
          label: 'exact greedy completions',
          before: exact(before),
          now: exact(now),
          reference: objective === 'lora' ? 'goal: at least 9 of 10' : '',
        },
      ],
      goals: fineTuningChecks(objective, before, now),
    };
  }
  const rows: EvaluationRow[] = [
    {
      label: objective === 'bert' ? 'loss per masked token' : 'loss per scored token',
      before: loss(before.tokenLoss),
      now: loss(now.tokenLoss),
      reference: `unigram ${loss(baseline.unigramLoss)} · ln V ${loss(baseline.uniformLoss)}`,
    },
    {
      label: 'below the unigram loss',
      before: loss(baseline.unigramLoss - before.tokenLoss),
      now: loss(baseline.unigramLoss - now.tokenLoss),
      reference: 'goal: at least 0.5',
    },
    {
      label: objective === 'glm' ? 'blank-token accuracy' : 'top-1 accuracy',
      before: percent(before.accuracy),
      now: percent(now.accuracy),
      reference: `most frequent token ${percent(baseline.mostFrequentRate)}`,
    },
  ];
  if (objective === 'bert') {
    rows.push({
      label: 'next-sentence accuracy',
      before: percent(before.nextSentenceAccuracy),
      now: percent(now.nextSentenceAccuracy),
      reference: 'chance 50 %',
    });
  }
  return {
    caption:
      objective === 'bert'
        ? 'Measured on pairs of held-out sentences (the closing sentences of every address, never trained on).'
        : 'Measured on held-out text (the closing sentences of every address, never trained on).',
    start,
    step,
    rows,
    goals: pretrainingChecks(objective, baseline, now),
  };
}
