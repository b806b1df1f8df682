import type { ObjectiveBatchV1, RandomSource } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint';
import { type BackendProbeReport, probeBackend } from '../probe/probe-backend';
import { captureCheckpoint } from './capture-checkpoint';
import { type EvaluationResult, evaluationPhases } from './evaluate-window';
import type { StepResult, TrainingSummary } from './progress-event';
import { runWithAsynchronousRead, runWithSynchronousRead } from './read-back';
import { type LoadCheckpointOptions, restoreCheckpoint } from './restore-checkpoint';
import { trainStepPhases } from './run-train-step';
import { runTraining, type TrainOptions } from './run-training';
import { resolveTrainerOptions, type TrainerOptions } from './trainer-options';
import { checkNotDisposed, createTrainerState } from './trainer-state';

/** A training loop bound to one objective, model and optimizer. */
export interface Trainer<Example, Batch extends ObjectiveBatchV1, PartName extends string> {
  /** Completed optimizer steps (the schedule's position). */
  readonly step: number;
  /** The trainer's random source; a loaded checkpoint restores its state (the object stays the same). */
  readonly random: RandomSource;
  /** The trained variables: the model's, then the objective's own. */
  readonly variables: readonly tf.Variable[];
  /** Whether each variable gets weight decay. */
  readonly weightDecayMask: readonly boolean[];
  /**
   * One optimizer step over a window of micro-batches: accumulated gradients normalised by the
   * window's counts, clipping, AdamW, and both guards (a refused step changes nothing). Synchronous:
   * it reads the loss back with `dataSync`, which the WebGPU backend cannot do well (use
   * {@link Trainer.trainStepAsync} there).
   */
  trainStep(window: readonly Batch[]): StepResult<PartName>;
  /**
   * {@link Trainer.trainStep} with an asynchronous read-back (`await data()`): the same step, the
   * same result, on every backend including WebGPU. `train` uses it.
   */
  trainStepAsync(window: readonly Batch[]): Promise<StepResult<PartName>>;
  /** The window's loss, parts and metrics without training (`training: false`, no gradients). */
  evaluate(window: readonly Batch[]): EvaluationResult<PartName>;
  /** {@link Trainer.evaluate} with an asynchronous read-back, for WebGPU. */
  evaluateAsync(window: readonly Batch[]): Promise<EvaluationResult<PartName>>;
  /** Trains until `totalSteps`, with progress events, cancellation and yielding. */
  train(options: TrainOptions<Example, Batch, PartName>): Promise<TrainingSummary<PartName>>;
  /** Runs `probeBackend` on one batch. */
  probe(batch: Batch): Promise<BackendProbeReport>;
  /** The full training state (weights, moments, step, random state) plus your JSON `metadata`. */
  saveCheckpoint(metadata?: Record<string, unknown>): Promise<TrainingCheckpoint>;
  /** Restores a checkpoint saved from a trainer built the same way, all or nothing. */
  loadCheckpoint(checkpoint: TrainingCheckpoint, options?: LoadCheckpointOptions): void;
  /** Frees the optimizer's moments (not the model's or the objective's weights). */
  dispose(): void;
}

/**
 * Creates a {@link Trainer}: the training loop for any `LossObjective` v1 and any model function,
 * in Node and in browsers (main thread or Web Worker).
 *
 * Per step, over a window of $K$ micro-batches with per-part totals $N_p = \sum_k \mathrm{count}_{k,p}$:
 * gradients $g = \sum_k \nabla \mathrm{sum}_k / N$ (equal to one big batch's), clipped to the global
 * norm $c$, then AdamW with decoupled weight decay at the scheduled rate $\eta_s$. A step must leave
 * `tf.memory().numTensors` where it found it. This function only assembles: options
 * (`resolveTrainerOptions`), state (`createTrainerState`), the step (`trainStepPhases`), evaluation
 * (`evaluationPhases`), both read back synchronously or not (`read-back.ts`), the loop (`runTraining`) and checkpoints (`captureCheckpoint`,
 * `restoreCheckpoint`) are top-level functions of their own.
 *
 * @example
 * const trainer = createTrainer({ objective, model, learningRate: schedule, seed: 1 });
 * await trainer.train({
 *   totalSteps: 1000,
 *   nextWindow: ({ createBatch }) => [createBatch(nextExamples())],
 *   onProgress: (p) => console.log(p.step, p.loss),
 * });
 */
export function createTrainer<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(options: TrainerOptions<Example, Batch, Outputs, PartName>): Trainer<Example, Batch, PartName> {
  const state = createTrainerState(resolveTrainerOptions(options));
  const { objective, model } = state.settings;
  return {
    get step() {
      return state.step;
    },
    random: state.random,
    variables: state.variables,
    weightDecayMask: state.optimizer.decays,
    trainStep: (window) => runWithSynchronousRead(trainStepPhases(state, window, 'trainStep')),
    trainStepAsync: (window) =>
      runWithAsynchronousRead(trainStepPhases(state, window, 'trainStepAsync')),
    evaluate: (window) => runWithSynchronousRead(evaluationPhases(state, window, 'evaluate')),
    evaluateAsync: (window) =>
      runWithAsynchronousRead(evaluationPhases(state, window, 'evaluateAsync')),
    train: (trainOptions) => runTraining(state, trainOptions),
    probe: async (batch) => {
      checkNotDisposed(state, 'probe');
      return probeBackend({ objective, model, batch, variables: state.variables });
    },
    saveCheckpoint: (metadata) => captureCheckpoint(state, metadata),
    loadCheckpoint: (checkpoint, loadOptions) => restoreCheckpoint(state, checkpoint, loadOptions),
    dispose() {
      if (state.disposed) return;
      state.disposed = true;
      state.optimizer.dispose();
    },
  };
}
