/** One loss part of a step, read back as numbers. */
export interface PartReport {
  /** The part's share of the step's loss: $\mathrm{sum}/N_p$ over the window. */
  readonly loss: number;
  /** $\sum_k \mathrm{sum}_k$ over the window. */
  readonly sum: number;
  /** $\sum_k \mathrm{count}_k$ over the window ($N_p$). */
  readonly count: number;
}

/** What one training step did, as numbers. */
export interface StepResult<PartName extends string = string> {
  /** The number of completed steps, this one included (1 after the first step). */
  readonly step: number;
  /** The window's loss (the sum of the parts' losses). */
  readonly loss: number;
  readonly parts: Readonly<Record<PartName, PartReport>>;
  /** The objective's metrics, averaged over the micro-batches. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The learning rate this step used. */
  readonly learningRate: number;
  /** The global gradient norm before clipping. */
  readonly gradientNorm: number;
  /** Whether clipping scaled the gradients down. */
  readonly clipped: boolean;
  /** Whether the update was skipped (non-finite loss or gradient with `nonFinite: 'skip-step'`). */
  readonly skipped: boolean;
  /** Micro-batches in the window. */
  readonly microBatches: number;
  /** Token positions the step processed (rows × `dimensions.sequence`, or the counted items when a batch has no `sequence` dimension). */
  readonly tokens: number;
  /** `tf.memory().numTensors` after the step (flat from step to step in a healthy run). */
  readonly numTensors: number;
}

/** A progress event of `trainer.train`: a step's result plus the run's pace and memory. */
export interface TrainingProgress<PartName extends string = string> extends StepResult<PartName> {
  /** The step `train` runs up to. */
  readonly totalSteps: number;
  /** Milliseconds since `train` started. */
  readonly elapsedMs: number;
  /** Tokens per second over this `train` call so far. */
  readonly tokensPerSecond: number;
  /** `tf.memory()` after the step. */
  readonly memory: { readonly numTensors: number; readonly numBytes: number };
}

/** What `trainer.train` returns. */
export interface TrainingSummary<PartName extends string = string> {
  /** Completed steps in total (including steps before a resumed checkpoint). */
  readonly step: number;
  /** Steps run by this call. */
  readonly stepsRun: number;
  /** The last step's result (`undefined` when no step ran). */
  readonly last: StepResult<PartName> | undefined;
  readonly elapsedMs: number;
  readonly tokensPerSecond: number;
}
