import type { LossObjectiveV1, ObjectiveBatchV1 } from '@lm-objectives/core';
import {
  createLearningRateSchedule,
  createTrainer,
  type StepResult,
  type TrainableModel,
  type Trainer,
  type TrainingSummary,
  type WindowContext,
} from '@lm-objectives/trainer';
import type { TaskTrainOptions } from './demo-task';

/** What {@link createTaskRuntime} needs: the objective, the model as the trainer sees it, the data. */
export interface TaskRuntimeOptions<Example, Batch extends ObjectiveBatchV1, Outputs> {
  readonly objective: LossObjectiveV1<Example, Batch, Outputs, string>;
  readonly model: TrainableModel<Outputs, Batch>;
  /**
   * The steps, the peak of the warmup (10% of the steps) + cosine schedule (which ends at a tenth
   * of it) and the trainer's seed.
   */
  readonly settings: {
    readonly steps: number;
    readonly learningRate: number;
    readonly seed: number;
  };
  /** AdamW's decoupled weight decay. */
  readonly weightDecay: number;
  /** The batch source. */
  readonly nextWindow: (context: WindowContext<Example, Batch>) => Batch[];
  /** A fixed batch scored by `evaluate()`. */
  readonly evaluationBatch: Batch;
}

/** The trainer-bound half of a `DemoTask`. */
export interface TaskRuntime<Batch extends ObjectiveBatchV1> {
  readonly trainer: Trainer<unknown, Batch, string>;
  step(): StepResult;
  train(options?: TaskTrainOptions): Promise<TrainingSummary>;
  /** The trainer's loss, parts and metrics on the fixed evaluation batch (no training). */
  scoreEvaluationBatch(): ReturnType<Trainer<unknown, Batch, string>['evaluate']>;
}

/**
 * Binds an objective and a model to `createTrainer` (AdamW, clipping at 1, warmup + cosine, leak
 * guard on) with the task's batch source, and scores a fixed evaluation batch. Past the schedule's
 * last step (`untilStep`), training goes on at the schedule's floor.
 */
export function createTaskRuntime<Example, Batch extends ObjectiveBatchV1, Outputs>(
  options: TaskRuntimeOptions<Example, Batch, Outputs>,
): TaskRuntime<Batch> {
  const { objective, nextWindow, evaluationBatch } = options;
  const { steps, learningRate, seed } = options.settings;
  const trainer = createTrainer({
    objective,
    model: options.model,
    learningRate: createLearningRateSchedule({
      peak: learningRate,
      totalSteps: steps,
      warmupSteps: Math.max(1, Math.round(steps / 10)),
      minimum: learningRate / 10,
    }),
    optimizer: { weightDecay: options.weightDecay },
    seed,
  });
  return {
    trainer: trainer as unknown as Trainer<unknown, Batch, string>,
    step() {
      const window = nextWindow({
        step: trainer.step,
        random: trainer.random,
        createBatch: (examples) => objective.createBatch(examples, { random: trainer.random }),
      });
      return trainer.trainStep(window);
    },
    train(trainOptions = {}) {
      return trainer.train({
        totalSteps: trainOptions.untilStep ?? steps,
        nextWindow,
        ...(trainOptions.onProgress ? { onProgress: trainOptions.onProgress } : {}),
        ...(trainOptions.signal ? { signal: trainOptions.signal } : {}),
        ...(trainOptions.yieldIntervalMs === undefined
          ? {}
          : { yieldIntervalMs: trainOptions.yieldIntervalMs }),
      });
    },
    scoreEvaluationBatch: () => trainer.evaluate([evaluationBatch]),
  };
}
