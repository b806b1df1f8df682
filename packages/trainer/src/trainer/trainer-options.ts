import {
  checkInteger,
  checkOneOf,
  checkOptionsObject,
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
  resolveObjective,
} from '@lm-objectives/core';
import type { TrainableModel } from '../model/trainable-model';
import type { AdamWOptions } from '../optimizer/adamw';
import { resolveAdamWOptions } from '../optimizer/adamw-options';
import {
  type LearningRateSchedule,
  toLearningRateSchedule,
} from '../schedule/learning-rate-schedule';
import { checkTrainableModel } from './check-trainable-model';

/**
 * Options of `createTrainer`.
 *
 * @typeParam Example the objective's example type.
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the model hands to the objective.
 * @typeParam PartName the objective's loss part names.
 */
export interface TrainerOptions<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
> {
  /** Any `LossObjective` v1: its `computeLoss` gives the loss, its `trainableWeights()` are trained too. */
  objective: LossObjectiveV1<Example, Batch, Outputs, PartName>;
  /** The model function and its variables (see {@link TrainableModel} and `fromLayersModel`). */
  model: TrainableModel<Outputs, Batch>;
  /** A fixed rate or a schedule of the step (`createLearningRateSchedule`). Default `1e-3`. */
  learningRate?: number | LearningRateSchedule;
  /** AdamW's $\beta_1, \beta_2, \varepsilon$, weight decay $\lambda$ (default 0.01) and decay filter. */
  optimizer?: Omit<AdamWOptions, 'embeddings'>;
  /** Clip the global gradient norm to this value; `Infinity` measures without clipping. Default `1.0`. */
  maxGradientNorm?: number;
  /** Seed of the trainer's random source (`trainer.random`), which checkpoints save. Default `0`. */
  seed?: number;
  /**
   * What a step whose forward or backward pass leaves more tensors alive than it found does:
   * `'throw'` a `TensorLeakError` before anything is applied (default), `'warn'` through
   * `onWarning` and train on, or nothing (`'off'`).
   */
  leakGuard?: 'throw' | 'warn' | 'off';
  /**
   * What a step with a non-finite loss or gradient norm does: `'throw'` a `NonFiniteStepError`
   * before anything is applied (default), or `'skip-step'` (count the step, leave the weights).
   */
  nonFinite?: 'throw' | 'skip-step';
  /** Receives warnings (leaks with `leakGuard: 'warn'`, skipped steps and windows). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** The option names {@link TrainerOptions} accepts. */
export const TRAINER_OPTION_KEYS = [
  'objective',
  'model',
  'learningRate',
  'optimizer',
  'maxGradientNorm',
  'seed',
  'leakGuard',
  'nonFinite',
  'onWarning',
] as const;

/** The option names of {@link TrainerOptions.optimizer}. */
export const TRAINER_OPTIMIZER_KEYS = [
  'beta1',
  'beta2',
  'epsilon',
  'weightDecay',
  'weightDecayFilter',
] as const;

/** {@link TrainerOptions} checked, with every default filled in. */
export interface TrainerSettings<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
> {
  readonly objective: LossObjectiveV1<Example, Batch, Outputs, PartName>;
  readonly model: TrainableModel<Outputs, Batch>;
  readonly schedule: LearningRateSchedule;
  readonly optimizer: Omit<AdamWOptions, 'embeddings'>;
  /** $c$; `Infinity` for no clipping. */
  readonly maxGradientNorm: number;
  readonly seed: number;
  readonly leakGuard: 'throw' | 'warn' | 'off';
  readonly nonFinite: 'throw' | 'skip-step';
  readonly warn: (message: string) => void;
}

const FUNCTION_NAME = 'createTrainer';

function site(name: string) {
  return { functionName: FUNCTION_NAME, argumentName: `options.${name}` };
}

function checkFunction<T>(name: string, value: unknown, fix: string): T | undefined {
  if (value === undefined || typeof value === 'function') return value as T | undefined;
  throw new InvalidArgumentError({ ...site(name), expected: 'a function', received: value, fix });
}

/**
 * Checks `createTrainer`'s options — unknown names at every level (the options, `optimizer`, the
 * model adapter) are errors that name the closest valid one — and fills in the defaults:
 * learning rate $10^{-3}$, clipping at $c = 1$, seed 0, both guards `'throw'`, warnings to
 * `console.warn`. The objective goes through core's `resolveObjective` (a LossObjective of a
 * supported specification version, with every member of the contract).
 */
export function resolveTrainerOptions<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  options: TrainerOptions<Example, Batch, Outputs, PartName>,
): TrainerSettings<Example, Batch, Outputs, PartName> {
  checkOptionsObject({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, {
    required: ['objective', 'model'],
    allowed: TRAINER_OPTION_KEYS,
  });
  // resolveObjective checks the id, the specification version and the declaration (partNames,
  // createBatch, computeLoss, trainableWeights…).
  const objective = resolveObjective(options.objective, FUNCTION_NAME) as LossObjectiveV1<
    Example,
    Batch,
    Outputs,
    PartName
  >;
  const model = checkTrainableModel<Outputs, Batch>(options.model, FUNCTION_NAME, 'options.model');
  // Checked here, so that errors name createTrainer's options.optimizer.beta1 and not createAdamW.
  resolveAdamWOptions(
    options.optimizer,
    FUNCTION_NAME,
    'options.optimizer',
    TRAINER_OPTIMIZER_KEYS,
  );
  const maxGradientNorm = options.maxGradientNorm ?? 1;
  if (!(typeof maxGradientNorm === 'number' && maxGradientNorm > 0)) {
    throw new InvalidArgumentError({
      ...site('maxGradientNorm'),
      expected: 'a number > 0, or Infinity for no clipping',
      received: maxGradientNorm,
      fix: 'pass e.g. 1.0.',
    });
  }
  const seed = checkInteger(
    site('seed'),
    options.seed,
    { min: 0, max: Number.MAX_SAFE_INTEGER },
    'pass a non-negative integer seed such as 42.',
    0,
  );
  const onWarning = checkFunction<(message: string) => void>(
    'onWarning',
    options.onWarning,
    'pass (message) => void, or leave it out to use console.warn.',
  );
  return {
    objective,
    model,
    schedule: toLearningRateSchedule(options.learningRate ?? 1e-3, FUNCTION_NAME),
    optimizer: options.optimizer ?? {},
    maxGradientNorm,
    seed,
    leakGuard: checkOneOf(site('leakGuard'), options.leakGuard, ['throw', 'warn', 'off'], 'throw'),
    nonFinite: checkOneOf(site('nonFinite'), options.nonFinite, ['throw', 'skip-step'], 'throw'),
    warn: onWarning ?? ((message: string) => console.warn(message)),
  };
}
