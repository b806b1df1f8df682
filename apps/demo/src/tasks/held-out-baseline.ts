import type { ObjectiveBatchV1, RandomSource } from '@lm-objectives/core';
import type { WindowContext } from '@lm-objectives/trainer';
import { batchTargets, countTargets, type TokenBaseline, tokenBaseline } from './token-baseline';

/** The most windows drawn to count training targets. */
const MAX_WINDOWS = 1000;

/** A batch with dense `labels` (−100 where nothing is scored), as every demo objective's batch has. */
export type LabelledBatch = ObjectiveBatchV1 & {
  readonly fields: { readonly labels: { readonly data: Int32Array } };
};

/** What {@link heldOutBaseline} needs from a task. */
export interface HeldOutBaselineInput<Example, Batch extends LabelledBatch> {
  /** The task's batch source (training text only). */
  readonly nextWindow: (context: WindowContext<Example, Batch>) => Batch[];
  /** The objective's `createBatch`. */
  readonly createBatch: (examples: readonly Example[], random: RandomSource) => Batch;
  /** A random source of its own, so the training stream is not disturbed. */
  readonly random: RandomSource;
  readonly vocabularySize: number;
  /** The fixed held-out batch the task is evaluated on. */
  readonly evaluationBatch: Batch;
  /** Targets the accuracy leaves out (GLM's `[eop]`). */
  readonly excludedFromAccuracy?: readonly number[];
  /**
   * Training targets to count. Default 50,000 (about half a pass over the training text), or as
   * many as 1,000 windows hold when they hold fewer (tiny test configurations).
   */
  readonly trainingTargets?: number;
}

/**
 * The task's baselines on its held-out batch: the training targets' frequencies are counted over
 * windows drawn from the task's own batch source (so they are the distribution the objective
 * really scores: masked words for BERT, span tokens and `[eop]` for GLM, every next token for the
 * causal model), then scored on the held-out targets (see `tokenBaseline`).
 */
export function heldOutBaseline<Example, Batch extends LabelledBatch>(
  input: HeldOutBaselineInput<Example, Batch>,
): TokenBaseline {
  const { random } = input;
  const counts = new Float64Array(input.vocabularySize);
  const wanted = input.trainingTargets ?? 50_000;
  let counted = 0;
  for (let step = 0; counted < wanted && step < MAX_WINDOWS; step++) {
    const window = input.nextWindow({
      step,
      random,
      createBatch: (examples) => input.createBatch(examples, random),
    });
    const before = counted;
    countTargets(window, counts);
    counted = counts.reduce((sum, count) => sum + count, 0);
    if (counted === before) break;
  }
  return tokenBaseline({
    trainingCounts: counts,
    heldOutTargets: batchTargets(input.evaluationBatch),
    ...(input.excludedFromAccuracy ? { excludedFromAccuracy: input.excludedFromAccuracy } : {}),
  });
}
