import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOptionsObject,
  InvalidArgumentError,
  type ObjectiveBatchV1,
  type RandomSource,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingAbortedError } from '../errors/training-aborted-error';
import { yieldToEventLoop } from '../internal/yield-to-event-loop';
import { probeBackend } from '../probe/probe-backend';
import { checkWindow, emptyWindowError, scoresNothing } from './check-window';
import type { StepResult, TrainingProgress, TrainingSummary } from './progress-event';
import { runWithAsynchronousRead } from './read-back';
import { trainStepPhases } from './run-train-step';
import { checkNotDisposed, type TrainerState } from './trainer-state';

/** What `nextWindow` receives. */
export interface WindowContext<Example, Batch> {
  /** The index of the step about to run (0-based: the number of completed steps). */
  readonly step: number;
  /** The trainer's random source: draw every random choice of the data pipeline from it. */
  readonly random: RandomSource;
  /** `objective.createBatch(examples, { random })` with the trainer's random source. */
  createBatch(examples: readonly Example[]): Batch;
}

/** Options of `trainer.train`. */
export interface TrainOptions<Example, Batch, PartName extends string> {
  /** Train until this many steps are completed in total (a resumed trainer continues from its step). */
  totalSteps: number;
  /** The micro-batches of the next step: one batch, or the K micro-batches of an accumulation window. */
  nextWindow: (
    context: WindowContext<Example, Batch>,
  ) => readonly Batch[] | Promise<readonly Batch[]>;
  /** Stops training between two steps; the promise then rejects with a `TrainingAbortedError`. */
  signal?: AbortSignal;
  /** Called after every step. May return a promise (it is awaited). */
  onProgress?: (progress: TrainingProgress<PartName>) => void | Promise<void>;
  /**
   * Yield to the event loop when this many milliseconds passed since the last yield, so that a page
   * stays responsive and a worker receives messages (an abort, a checkpoint request). `0` yields
   * after every step. Default 16.
   */
  yieldIntervalMs?: number;
  /** Probe the backend with the first window before the first step of this trainer. Default `true`. */
  probe?: boolean;
}

/** The option names {@link TrainOptions} accepts. */
export const TRAIN_OPTION_KEYS = [
  'totalSteps',
  'nextWindow',
  'signal',
  'onProgress',
  'yieldIntervalMs',
  'probe',
] as const;

/** Consecutive windows that score nothing after which `train` gives up instead of skipping. */
export const MAX_CONSECUTIVE_EMPTY_WINDOWS = 100;

interface CheckedTrainOptions<Example, Batch, PartName extends string> {
  readonly totalSteps: number;
  readonly nextWindow: TrainOptions<Example, Batch, PartName>['nextWindow'];
  readonly signal: AbortSignal | undefined;
  readonly onProgress: TrainOptions<Example, Batch, PartName>['onProgress'];
  readonly yieldIntervalMs: number;
  readonly probe: boolean;
}

function checkTrainOptions<Example, Batch, PartName extends string>(
  options: TrainOptions<Example, Batch, PartName>,
): CheckedTrainOptions<Example, Batch, PartName> {
  const site = (name: string) => ({ functionName: 'train', argumentName: `options.${name}` });
  const fail = (name: string, expected: string, received: unknown, fix: string) =>
    new InvalidArgumentError({ ...site(name), expected, received, fix });
  checkOptionsObject({ functionName: 'train', argumentName: 'options' }, options, {
    required: ['totalSteps', 'nextWindow'],
    allowed: TRAIN_OPTION_KEYS,
  });
  const totalSteps = checkInteger(
    site('totalSteps'),
    options.totalSteps,
    { min: 0, max: Number.MAX_SAFE_INTEGER },
    'pass the run length, e.g. 1000; a resumed trainer continues from trainer.step.',
  );
  if (typeof options.nextWindow !== 'function') {
    throw fail(
      'nextWindow',
      'a function ({ step, random, createBatch }) => batches',
      options.nextWindow,
      'return [createBatch(examples)] or the micro-batches of one accumulation window.',
    );
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw fail(
      'onProgress',
      'a function (progress) => void',
      options.onProgress,
      'pass a callback or leave it out.',
    );
  }
  const signal = options.signal;
  if (signal !== undefined && typeof (signal as { aborted?: unknown })?.aborted !== 'boolean') {
    throw fail('signal', 'an AbortSignal', signal, 'pass controller.signal of an AbortController.');
  }
  return {
    totalSteps,
    nextWindow: options.nextWindow,
    signal,
    onProgress: options.onProgress,
    yieldIntervalMs: checkFiniteNumber(
      site('yieldIntervalMs'),
      options.yieldIntervalMs,
      { min: 0 },
      'pass a number of milliseconds such as 16, or 0 to yield after every step.',
      16,
    ),
    probe: checkBoolean(site('probe'), options.probe, true),
  };
}

/**
 * Draws the next window and runs one step on it (probing the backend first, once). A window that
 * scores nothing is skipped with a warning (`undefined`). If anything fails — `nextWindow`, the
 * probe, an abort, the step — the random source is put back where it was, so that training again
 * draws the same window and the failed step leaves no trace.
 */
async function nextStep<Example, Batch extends ObjectiveBatchV1, Outputs, PartName extends string>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  options: CheckedTrainOptions<Example, Batch, PartName>,
  checkAbort: () => void,
): Promise<StepResult<PartName> | undefined> {
  const { objective, model } = state.settings;
  const random = state.random;
  const saved = random.getState();
  try {
    const window = await options.nextWindow({
      step: state.step,
      random,
      createBatch: (examples) => objective.createBatch(examples, { random }),
    });
    checkAbort();
    const counts = checkWindow(window, objective.partNames, 'train');
    if (scoresNothing(counts)) {
      state.settings.warn(`${emptyWindowError('train', window, counts).message} Skipped.`);
      return undefined;
    }
    if (!state.probed && options.probe) {
      const batch = window.find((micro) =>
        Object.values<number>(micro.counts).some((count) => count > 0),
      )!;
      await probeBackend({ objective, model, batch, variables: state.variables });
      state.probed = true;
    }
    // `trainStep` in messages, as the loop always named its steps; read back asynchronously (WebGPU).
    return await runWithAsynchronousRead(trainStepPhases(state, window, 'trainStep'));
  } catch (error) {
    random.restore(saved);
    throw error;
  }
}

/**
 * Trains until `totalSteps` steps are completed: per step, `nextWindow` → (probe, once) →
 * `trainStep` → `onProgress`, yielding to the event loop every `yieldIntervalMs`. Stops between
 * steps when `signal` aborts (`TrainingAbortedError`), leaving the trainer at the last completed
 * step. Skips windows that score nothing, with a warning, and gives up after
 * {@link MAX_CONSECUTIVE_EMPTY_WINDOWS} of them in a row.
 */
export async function runTraining<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  trainOptions: TrainOptions<Example, Batch, PartName>,
): Promise<TrainingSummary<PartName>> {
  checkNotDisposed(state, 'train');
  const options = checkTrainOptions(trainOptions);
  const started = performance.now();
  let lastYield = started;
  let tokens = 0;
  let stepsRun = 0;
  let emptyInARow = 0;
  let last: StepResult<PartName> | undefined;
  const elapsed = () => performance.now() - started;
  const pace = () => (elapsed() > 0 ? tokens / (elapsed() / 1000) : 0);
  const checkAbort = () => {
    if (options.signal?.aborted) throw new TrainingAbortedError(state.step, options.signal.reason);
  };
  while (state.step < options.totalSteps) {
    checkAbort();
    const result = await nextStep(state, options, checkAbort);
    if (result === undefined) {
      if (++emptyInARow >= MAX_CONSECUTIVE_EMPTY_WINDOWS) {
        throw new InvalidArgumentError({
          functionName: 'train',
          argumentName: 'options.nextWindow',
          expected: 'windows that score something (some batch.counts entry > 0)',
          received: options.nextWindow,
          receivedDescription: `${emptyInARow} windows in a row that score nothing`,
          fix: 'check the data pipeline: every example is being dropped (e.g. all longer than maxLength).',
        });
      }
    } else {
      emptyInARow = 0;
      last = result;
      stepsRun++;
      tokens += result.tokens;
      if (options.onProgress) {
        const memory = tf.memory();
        await options.onProgress({
          ...result,
          totalSteps: options.totalSteps,
          elapsedMs: elapsed(),
          tokensPerSecond: pace(),
          memory: { numTensors: memory.numTensors, numBytes: memory.numBytes },
        });
      }
    }
    if (performance.now() - lastYield >= options.yieldIntervalMs) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  return { step: state.step, stepsRun, last, elapsedMs: elapsed(), tokensPerSecond: pace() };
}
