import type { LossObjective, ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The identifiers of the conformance checks, in the order they run. */
export type ConformanceCheckId =
  | 'specification-version'
  | 'objective-id'
  | 'declaration'
  | 'batch-determinism'
  | 'batch-fields'
  | 'explain-batch'
  | 'loss-finite-scalar'
  | 'part-arithmetic'
  | 'num-items-in-batch'
  | 'zero-count'
  | 'gradient-reach'
  | 'finite-differences'
  | 'tensor-leaks'
  | 'registry-round-trip'
  | 'bad-input';

/**
 * The tiny model a conformance fixture runs the objective with: its weights, and a pure tensor
 * function from a batch to the outputs the objective's `computeLoss` reads. `apply` is called inside
 * `tf.tidy` and under a gradient tape, so it must build its tensors from `variables` and the batch.
 *
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the objective's tensor side takes as `outputs`.
 */
export interface ConformanceModel<Batch, Outputs> {
  /** Every weight `apply` reads; the suite checks that gradients reach them. */
  readonly variables: readonly tf.Variable[];
  /** The model's outputs for a batch (logits, hidden states plus a projection, a pooled vector, …). */
  apply(batch: Batch): Outputs;
  /** Frees the model's weights; called by `describeObjectiveConformance` for fixtures it made. */
  dispose?(): void;
}

/** Bad examples that `createBatch` must refuse with a typed error, and why they are bad. */
export interface InvalidExamplesCase {
  /** What is wrong with them, e.g. `'a token id outside the vocabulary'`. */
  readonly description: string;
  /** Passed to `createBatch` as they are. */
  readonly examples: unknown;
}

/**
 * What the conformance suite runs an objective on: a few tokenized examples, a tiny model, and
 * optionally examples that give a batch with zero counted items in some part, and examples the
 * data side must refuse.
 *
 * @typeParam Example one example as the objective's `createBatch` takes it.
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the model hands to `computeLoss`.
 */
export interface ConformanceFixture<Example, Batch, Outputs> {
  /** Two to eight short examples; with a seeded random source they must give a batch with every part counted at least once where possible. */
  readonly examples: readonly Example[];
  /** The model that turns a batch into `outputs`. */
  readonly model: ConformanceModel<Batch, Outputs>;
  /**
   * Examples whose batch counts zero items in at least one part (e.g. texts too short to mask).
   * Without them, only parts that already count zero in the main batch are checked for the
   * zero-count rule, and the check is skipped when there are none.
   */
  readonly zeroCountExamples?: readonly Example[];
  /** Inputs that `createBatch` must refuse with an `InvalidArgumentError` (beyond `null`, which is always tried). */
  readonly invalidExamples?: readonly InvalidExamplesCase[];
}

/**
 * How the objective combines its parts, when it deviates from the default
 * $L = \sum_p \mathrm{loss}_p$, $\mathrm{loss}_p = \mathrm{sum}_p / N_p$.
 */
export interface ConformanceOptions {
  /** The seed of the main batch (another seed, `seed + 1`, is used for the "different seed" comparison). Default 1. */
  readonly seed?: number;
  /**
   * The weight $w_p$ of each part in the total, $L = \sum_p w_p\,\mathrm{loss}_p$ (e.g. ELECTRA's
   * $\lambda = 50$ on the discriminator). Parts not listed weigh 1.
   */
  readonly partWeights?: Readonly<Record<string, number>>;
  /**
   * `'per-part'` (default): $\mathrm{loss}_p = \mathrm{sum}_p / N_p$ with $N_p$ the part's own
   * count (or `numItemsInBatch[p]`). `'shared'`: every part is a share of one loss over all
   * counted items, $\mathrm{loss}_p = \mathrm{sum}_p / \sum_q N_q$ (GLM's modes).
   */
  readonly normalisation?: 'per-part' | 'shared';
  /** Relative tolerance of value identities (part arithmetic, `numItemsInBatch`). Default 1e-5. */
  readonly valueTolerance?: number;
  /**
   * Tolerance of the finite-difference gradient check, relative to the norm of each weight's
   * gradient. Default 0.02 (float32 central differences).
   */
  readonly gradientTolerance?: number;
  /**
   * Largest step of the central differences, along unit-norm directions; the step actually used is
   * smaller where the gradient is large (it aims at a 2% change of the loss). Default 1e-2.
   */
  readonly finiteDifferenceStep?: number;
  /**
   * Checks to skip, each with the reason (shown in the report). Prefer fixing the objective; use
   * this for a deliberate, documented deviation.
   */
  readonly skip?: Partial<Readonly<Record<ConformanceCheckId, string>>>;
}

/** The outcome of one check. */
export interface ConformanceCheckResult {
  readonly id: ConformanceCheckId;
  /** What the check verifies, as a sentence. */
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** For a failure, what is wrong and how to fix it; for a skip, why; empty when passed (or a note). */
  readonly message: string;
}

/** The outcome of every check on one backend. */
export interface ConformanceReport {
  readonly objectiveId: string;
  /** The TensorFlow.js backend the checks ran on. */
  readonly backend: string;
  readonly results: readonly ConformanceCheckResult[];
  /** Whether no check failed. */
  readonly passed: boolean;
}

/** Any objective the suite can check. */
// biome-ignore lint/suspicious/noExplicitAny: the suite accepts objectives of every example, batch and output type.
export type AnyObjective = LossObjective<any, ObjectiveBatchV1, any, string>;
