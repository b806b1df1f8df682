import type {
  DemoTaskId,
  SamplePrediction,
  TaskEvaluation,
  TaskParameterCounts,
} from '../tasks/demo-task';
import type { PhaseCheck } from '../tasks/goals';
import type { TokenBaseline } from '../tasks/token-baseline';

/** Where a phase's model started. */
export type PhaseStart =
  /** Fresh weights. */
  | 'scratch'
  /** BERT, GLM: the task's own shipped checkpoint (`checkpoints/<task>.safetensors`), trained further. */
  | 'pre-trained'
  /** LoRA, prefix tuning: the shipped checkpoint of the causal model (`checkpoints/causal.safetensors`) as the frozen base. */
  | 'checkpoint'
  /** LoRA, prefix tuning: the causal model this run pre-trained (`--from-scratch`) as the frozen base. */
  | 'this run';

/** How the table and the log name where a phase started. */
export function startText(start: PhaseStart): string {
  switch (start) {
    case 'scratch':
      return 'from scratch';
    case 'pre-trained':
      return 'from the shipped checkpoint';
    case 'checkpoint':
      return 'base: shipped causal checkpoint';
    case 'this run':
      return 'base: causal model of this run';
  }
}

/** What one phase of the demo measured: the rows of the final table and the report. */
export interface PhaseResult {
  readonly id: DemoTaskId;
  readonly title: string;
  readonly description: string;
  readonly steps: number;
  /** Where the model started (the fine-tuning phases: where their frozen base came from). */
  readonly start: PhaseStart;
  /** The held-out batch's baselines: $\ln V$, the unigram loss, the most-frequent-token rate. */
  readonly baseline: TokenBaseline;
  /** The held-out evaluation before training. */
  readonly before: TaskEvaluation;
  /** The held-out evaluation after training. */
  readonly after: TaskEvaluation;
  /** The training loss of every step. */
  readonly trainingLosses: readonly number[];
  readonly tokensPerSecond: number;
  /** Milliseconds of training (setup, evaluation and samples excluded). */
  readonly trainingMs: number;
  readonly parameters: TaskParameterCounts;
  /** Predictions before training (fine-tuning phases only: the pre-trained base's). */
  readonly samplesBefore: readonly SamplePrediction[];
  readonly samplesAfter: readonly SamplePrediction[];
  /** The pass/fail checks (see `tasks/goals.ts`; fine-tuning also the frozen base, LoRA the trainable share). */
  readonly checks: readonly PhaseCheck[];
}

/** What a whole run measured. */
export interface DemoRunResult {
  readonly backend: string;
  readonly seed: number;
  readonly phases: readonly PhaseResult[];
  /** Milliseconds from the first phase's setup to the last phase's samples. */
  readonly wallMs: number;
  /** Whether every check of every phase passed. */
  readonly passed: boolean;
}
