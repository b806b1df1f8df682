import { InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { collectVariables, type TrainedVariable } from '../internal/collect-variables';
import { createSwappableRandom, type SwappableRandom } from '../internal/swappable-random';
import { type AdamWOptimizer, createAdamW } from '../optimizer/adamw';
import type { TrainerSettings } from './trainer-options';

/**
 * Everything a trainer holds: its settings, the trained variables (the model's, then the
 * objective's own), the optimizer, the random source, and the step counter. The trainer's
 * functions (the step, evaluation, the loop, checkpoints) are top-level functions of this state.
 */
export interface TrainerState<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
> {
  readonly settings: TrainerSettings<Example, Batch, Outputs, PartName>;
  readonly trained: readonly TrainedVariable[];
  readonly variables: readonly tf.Variable[];
  readonly optimizer: AdamWOptimizer;
  readonly random: SwappableRandom;
  /** Completed optimizer steps: the schedule's position. */
  step: number;
  /** Whether the backend probe ran. */
  probed: boolean;
  disposed: boolean;
}

/** Collects the variables and creates the optimizer and the random source for `settings`. */
export function createTrainerState<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  settings: TrainerSettings<Example, Batch, Outputs, PartName>,
): TrainerState<Example, Batch, Outputs, PartName> {
  const trained = collectVariables(
    settings.model.variables,
    settings.objective.trainableWeights(),
    'createTrainer',
  );
  const variables = trained.map((entry) => entry.variable);
  const optimizer = createAdamW(variables, {
    ...settings.optimizer,
    embeddings: settings.model.embeddings ?? [],
  });
  return {
    settings,
    trained,
    variables,
    optimizer,
    random: createSwappableRandom(settings.seed),
    step: 0,
    probed: false,
    disposed: false,
  };
}

/** Refuses to use a disposed trainer. */
export function checkNotDisposed(
  state: { readonly disposed: boolean },
  functionName: string,
): void {
  if (!state.disposed) return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'this',
    expected: 'a trainer that was not disposed',
    received: 'a disposed trainer',
    fix: 'create a new trainer (and load a checkpoint to continue).',
  });
}
