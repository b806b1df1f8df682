import type { DemoTaskId, SamplePrediction, TaskParameterCounts } from '../tasks/demo-task';
import type { PhaseCheck } from './thresholds';

/** What one phase of the demo measured: the rows of the final table and the report. */
export interface PhaseResult {
  readonly id: DemoTaskId;
  readonly title: string;
  readonly description: string;
  readonly steps: number;
  /** Evaluation loss before training. */
  readonly initialLoss: number;
  /** Evaluation loss after training. */
  readonly finalLoss: number;
  /** $\ln V$: the loss of uniform guessing. */
  readonly uniformLoss: number;
  /** The training loss of every step. */
  readonly trainingLosses: readonly number[];
  readonly tokensPerSecond: number;
  /** Milliseconds of training (setup, evaluation and samples excluded). */
  readonly trainingMs: number;
  readonly parameters: TaskParameterCounts;
  /** Predictions before training (fine-tuning phases only: the pre-trained base's). */
  readonly samplesBefore: readonly SamplePrediction[];
  readonly samplesAfter: readonly SamplePrediction[];
  /** The pass/fail checks (loss threshold; for LoRA also the frozen base and the trainable share). */
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
