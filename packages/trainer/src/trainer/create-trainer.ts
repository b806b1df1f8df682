import {
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
  type RandomSource,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointTensorEntry,
  type TrainingCheckpoint,
} from '../checkpoint/training-checkpoint';
import { NonFiniteStepError } from '../errors/non-finite-step-error';
import { TensorLeakError } from '../errors/tensor-leak-error';
import { TrainingAbortedError } from '../errors/training-aborted-error';
import { addInto } from '../internal/add-into';
import { collectVariables, type TrainedVariable } from '../internal/collect-variables';
import { modelInputTensors } from '../internal/model-input-tensors';
import { createSwappableRandom } from '../internal/swappable-random';
import { yieldToEventLoop } from '../internal/yield-to-event-loop';
import type { TrainableModel } from '../model/trainable-model';
import { type AdamWOptions, createAdamW } from '../optimizer/adamw';
import { clipByGlobalNorm } from '../optimizer/clip-by-global-norm';
import { type BackendProbeReport, probeBackend } from '../probe/probe-backend';
import {
  type LearningRateSchedule,
  toLearningRateSchedule,
} from '../schedule/learning-rate-schedule';
import { accumulateGradients } from '../step/accumulate-gradients';
import { windowCounts } from '../step/window-counts';
import type { PartReport, StepResult, TrainingProgress, TrainingSummary } from './progress-event';

/**
 * Options of {@link createTrainer}.
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
   * What a step that leaves more tensors alive than it found does: `'throw'` a `TensorLeakError`
   * (default), `'warn'` through `onWarning`, or nothing (`'off'`).
   */
  leakGuard?: 'throw' | 'warn' | 'off';
  /**
   * What a step with a non-finite loss or gradient norm does: `'throw'` a `NonFiniteStepError`
   * without updating (default), or `'skip-step'` (count the step, leave the weights).
   */
  nonFinite?: 'throw' | 'skip-step';
  /** Receives warnings (leaks with `leakGuard: 'warn'`, skipped steps). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

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
   * window's counts, clipping, AdamW, and the leak guard. Synchronous.
   */
  trainStep(window: readonly Batch[]): StepResult<PartName>;
  /** The window's loss, parts and metrics without training (`training: false`, no gradients). */
  evaluate(
    window: readonly Batch[],
  ): Omit<StepResult<PartName>, 'learningRate' | 'gradientNorm' | 'clipped' | 'skipped' | 'step'>;
  /** Trains until `totalSteps`, with progress events, cancellation and yielding. */
  train(options: TrainOptions<Example, Batch, PartName>): Promise<TrainingSummary<PartName>>;
  /** Runs {@link probeBackend} on one batch. */
  probe(batch: Batch): Promise<BackendProbeReport>;
  /** The full training state (weights, moments, step, random state) plus your JSON `metadata`. */
  saveCheckpoint(metadata?: Record<string, unknown>): Promise<TrainingCheckpoint>;
  /** Restores a checkpoint saved from a trainer built the same way. */
  loadCheckpoint(checkpoint: TrainingCheckpoint): void;
  /** Frees the optimizer's moments (not the model's or the objective's weights). */
  dispose(): void;
}

function tokensOf(batch: ObjectiveBatchV1): number {
  const sequence = batch.dimensions?.['sequence'];
  if (typeof sequence === 'number') return batch.size * sequence;
  return Object.values(batch.counts as Record<string, number>).reduce(
    (sum, count) => sum + count,
    0,
  );
}

/**
 * Creates a {@link Trainer}: the training loop for any `LossObjective` v1 and any model function,
 * in Node and in browsers (main thread or Web Worker).
 *
 * Per step, over a window of $K$ micro-batches with per-part totals $N_p = \sum_k \mathrm{count}_{k,p}$:
 * gradients $g = \sum_k \nabla \mathrm{sum}_k / N$ (equal to one big batch's), clipped to the global
 * norm $c$, then AdamW with decoupled weight decay at the scheduled rate $\eta_s$. A step must leave
 * `tf.memory().numTensors` where it found it.
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
  const functionName = 'createTrainer';
  if (options == null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      expected: 'an object with objective and model',
      received: options,
      fix: 'pass { objective, model, learningRate?, optimizer?, maxGradientNorm?, seed? }.',
    });
  }
  const { objective, model } = options;
  if (
    objective == null ||
    objective.specificationVersion !== 'v1' ||
    typeof objective.computeLoss !== 'function'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.objective',
      expected: "a LossObjective with specificationVersion 'v1'",
      received: objective,
      fix: 'pass an objective made with defineObjective or an objective package factory.',
    });
  }
  if (model == null || typeof model.apply !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.model',
      expected: '{ apply(inputs) => outputs, variables: tf.Variable[] }',
      received: model,
      fix: 'wrap your model function and its variables, or use fromLayersModel(layersModel).',
    });
  }
  const schedule = toLearningRateSchedule(options.learningRate ?? 1e-3, functionName);
  const maxGradientNorm = options.maxGradientNorm ?? 1;
  if (!(maxGradientNorm > 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.maxGradientNorm',
      expected: 'a number > 0, or Infinity for no clipping',
      received: maxGradientNorm,
      fix: 'pass e.g. 1.0.',
    });
  }
  const leakGuard = options.leakGuard ?? 'throw';
  const nonFinite = options.nonFinite ?? 'throw';
  for (const [name, value, allowed] of [
    ['leakGuard', leakGuard, ['throw', 'warn', 'off']],
    ['nonFinite', nonFinite, ['throw', 'skip-step']],
  ] as const) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `options.${name}`,
        expected: allowed.map((option) => `'${option}'`).join(' or '),
        received: value,
        fix: `use one of ${allowed.join(', ')}.`,
      });
    }
  }
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const random = createSwappableRandom(options.seed ?? 0);
  const trained: TrainedVariable[] = collectVariables(
    model.variables,
    objective.trainableWeights(),
    functionName,
  );
  const variables = trained.map((entry) => entry.variable);
  const optimizer = createAdamW(variables, {
    ...options.optimizer,
    embeddings: model.embeddings ?? [],
  });
  let step = 0;
  let probed = false;
  let disposed = false;

  const checkWindow = (window: readonly Batch[], name: string): void => {
    if (!Array.isArray(window) || window.length === 0) {
      throw new InvalidArgumentError({
        functionName: name,
        argumentName: 'window',
        expected: 'a non-empty array of batches made by the objective',
        received: window,
        fix: 'pass [batch], or the K micro-batches of one accumulation window.',
      });
    }
  };

  const readReport = (
    loss: tf.Scalar,
    extra: tf.Scalar[],
    parts: Readonly<Record<PartName, { sum: tf.Scalar; count: tf.Scalar }>>,
    counts: Readonly<Record<PartName, number>>,
    metrics: Readonly<Record<string, tf.Scalar>>,
  ) => {
    const partNames = objective.partNames;
    const metricNames = Object.keys(metrics);
    // One read-back per step: every scalar stacked into one tensor (as float32: an objective may
    // report an int32 count or metric, and tf.stack needs one dtype).
    const values = tf.tidy(() =>
      tf.stack(
        [
          loss,
          ...extra,
          ...partNames.flatMap((part) => [parts[part].sum, parts[part].count]),
          ...metricNames.map((name) => metrics[name]!),
        ].map((scalar) => (scalar.dtype === 'float32' ? scalar : tf.cast(scalar, 'float32'))),
      ),
    );
    const numbers = values.dataSync();
    values.dispose();
    let cursor = 1 + extra.length;
    const partReports = {} as Record<PartName, PartReport>;
    for (const part of partNames) {
      const sum = numbers[cursor++]!;
      const count = numbers[cursor++]!;
      const normaliser = counts[part];
      partReports[part] = { loss: normaliser > 0 ? sum / normaliser : 0, sum, count };
    }
    const metricReports: Record<string, number> = {};
    for (const name of metricNames) metricReports[name] = numbers[cursor++]!;
    return {
      loss: numbers[0]!,
      extra: Array.from(numbers.subarray(1, 1 + extra.length)),
      parts: partReports,
      metrics: metricReports,
    };
  };

  const trainStep = (window: readonly Batch[]): StepResult<PartName> => {
    if (disposed) throw disposedError('trainStep');
    checkWindow(window, 'trainStep');
    const tensorsBefore = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const learningRate = schedule(step);
    const computed = accumulateGradients<Batch, Outputs, PartName>({
      objective,
      model,
      window,
      variables,
    });
    let result: StepResult<PartName>;
    try {
      const { gradients: clipped, norm } = clipByGlobalNorm(computed.gradients, maxGradientNorm);
      try {
        const report = readReport(
          computed.loss,
          [norm],
          computed.parts,
          computed.counts,
          computed.metrics,
        );
        const gradientNorm = report.extra[0]!;
        const finite = Number.isFinite(report.loss) && Number.isFinite(gradientNorm);
        if (!finite && nonFinite === 'throw') {
          throw new NonFiniteStepError(step + 1, report.loss, gradientNorm);
        }
        if (finite) {
          optimizer.applyGradients(clipped, learningRate);
        } else {
          warn(
            `trainStep: step ${step + 1} skipped: loss ${report.loss}, gradient norm ${gradientNorm}.`,
          );
        }
        step++;
        result = {
          step,
          loss: report.loss,
          parts: report.parts,
          metrics: report.metrics,
          learningRate,
          gradientNorm,
          clipped: finite && gradientNorm + 1e-6 > maxGradientNorm,
          skipped: !finite,
          microBatches: window.length,
          tokens: window.reduce((sum, batch) => sum + tokensOf(batch), 0),
          numTensors: 0,
        };
      } finally {
        tf.dispose(clipped.filter((gradient): gradient is tf.Tensor => gradient != null));
        norm.dispose();
      }
    } finally {
      computed.dispose();
    }
    const memory = tf.memory();
    const growth = memory.numTensors - tensorsBefore;
    if (growth !== 0 && leakGuard !== 'off') {
      const error = new TensorLeakError({
        step,
        phase: computed.leakedTensors !== 0 ? 'model-or-objective' : 'update',
        tensorsBefore,
        tensorsAfter: memory.numTensors,
        bytesGrowth: memory.numBytes - bytesBefore,
      });
      if (leakGuard === 'throw') throw error;
      warn(error.message);
    }
    return { ...result, numTensors: memory.numTensors };
  };

  const evaluate: Trainer<Example, Batch, PartName>['evaluate'] = (window) => {
    if (disposed) throw disposedError('evaluate');
    checkWindow(window, 'evaluate');
    const counts = windowCounts(window, objective.partNames, 'evaluate');
    let loss: tf.Tensor | undefined;
    const sums = {} as Record<PartName, tf.Tensor | undefined>;
    const partCounts = {} as Record<PartName, tf.Tensor | undefined>;
    const metricSums: Record<string, tf.Tensor> = {};
    const owned = () => [
      loss,
      ...Object.values(sums),
      ...Object.values(partCounts),
      ...Object.values(metricSums),
    ];
    try {
      for (const batch of window) {
        const result = tf.tidy(() => {
          const tensors = modelInputTensors(batch, model.inputFields, 'evaluate');
          const outputs = model.apply({ tensors, batch, training: false });
          const computed = objective.computeLoss({
            outputs,
            batch,
            numItemsInBatch: counts,
            training: false,
          });
          return {
            loss: tf.clone(computed.loss),
            sums: objective.partNames.map((part) => tf.clone(computed.parts[part].sum)),
            counts: objective.partNames.map((part) => tf.clone(computed.parts[part].count)),
            metrics: Object.fromEntries(
              Object.entries(computed.metrics ?? {}).map(([name, metric]) => [
                name,
                tf.cast(metric, 'float32'),
              ]),
            ),
          };
        });
        loss = addInto(loss, result.loss);
        objective.partNames.forEach((part, index) => {
          sums[part] = addInto(sums[part], result.sums[index]!);
          partCounts[part] = addInto(partCounts[part], result.counts[index]!);
        });
        for (const [name, metric] of Object.entries(result.metrics)) {
          metricSums[name] = addInto(metricSums[name], metric);
        }
      }
      const metrics: Record<string, tf.Scalar> = {};
      for (const [name, total] of Object.entries(metricSums))
        metrics[name] = tf.div(total, window.length);
      const parts = {} as Record<PartName, { sum: tf.Scalar; count: tf.Scalar }>;
      for (const part of objective.partNames) {
        parts[part] = { sum: sums[part] as tf.Scalar, count: partCounts[part] as tf.Scalar };
      }
      try {
        const report = readReport(loss as tf.Scalar, [], parts, counts, metrics);
        return {
          loss: report.loss,
          parts: report.parts,
          metrics: report.metrics,
          microBatches: window.length,
          tokens: window.reduce((sum, batch) => sum + tokensOf(batch), 0),
          numTensors: tf.memory().numTensors,
        };
      } finally {
        tf.dispose(Object.values(metrics));
      }
    } finally {
      tf.dispose(owned().filter((tensor): tensor is tf.Tensor => tensor !== undefined));
    }
  };

  const probe = (batch: Batch) => probeBackend({ objective, model, batch, variables });

  const train: Trainer<Example, Batch, PartName>['train'] = async (trainOptions) => {
    if (disposed) throw disposedError('train');
    const { totalSteps, nextWindow, signal, onProgress } = trainOptions;
    const yieldIntervalMs = trainOptions.yieldIntervalMs ?? 16;
    if (!(Number.isInteger(totalSteps) && totalSteps >= 0)) {
      throw new InvalidArgumentError({
        functionName: 'train',
        argumentName: 'options.totalSteps',
        expected: 'an integer ≥ 0 (the step to train up to, counting completed steps)',
        received: totalSteps,
        fix: 'pass the run length, e.g. 1000; a resumed trainer continues from trainer.step.',
      });
    }
    if (typeof nextWindow !== 'function') {
      throw new InvalidArgumentError({
        functionName: 'train',
        argumentName: 'options.nextWindow',
        expected: 'a function ({ step, random, createBatch }) => batches',
        received: nextWindow,
        fix: 'return [createBatch(examples)] or the micro-batches of one accumulation window.',
      });
    }
    const started = performance.now();
    let lastYield = started;
    let tokens = 0;
    let stepsRun = 0;
    let last: StepResult<PartName> | undefined;
    const elapsed = () => performance.now() - started;
    const pace = () => {
      const seconds = elapsed() / 1000;
      return seconds > 0 ? tokens / seconds : 0;
    };
    const checkAbort = () => {
      if (signal?.aborted) throw new TrainingAbortedError(step, signal.reason);
    };
    while (step < totalSteps) {
      checkAbort();
      const window = await nextWindow({
        step,
        random,
        createBatch: (examples) => objective.createBatch(examples, { random }),
      });
      checkAbort();
      if (!probed && trainOptions.probe !== false) {
        checkWindow(window, 'train');
        await probe(window[0]!);
        probed = true;
      }
      last = trainStep(window);
      stepsRun++;
      tokens += last.tokens;
      if (onProgress) {
        const memory = tf.memory();
        await onProgress({
          ...last,
          totalSteps,
          elapsedMs: elapsed(),
          tokensPerSecond: pace(),
          memory: { numTensors: memory.numTensors, numBytes: memory.numBytes },
        });
      }
      if (performance.now() - lastYield >= yieldIntervalMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    return { step, stepsRun, last, elapsedMs: elapsed(), tokensPerSecond: pace() };
  };

  const saveCheckpoint = async (
    metadata: Record<string, unknown> = {},
  ): Promise<TrainingCheckpoint> => {
    if (disposed) throw disposedError('saveCheckpoint');
    const entries: CheckpointTensorEntry[] = [];
    const arrays: (Float32Array | Int32Array)[] = [];
    const dtypeOf = (variable: tf.Variable) => (variable.dtype === 'int32' ? 'int32' : 'float32');
    for (const { variable, group, index } of trained) {
      entries.push({
        group,
        index,
        name: variable.name,
        dtype: dtypeOf(variable),
        shape: [...variable.shape],
      });
      arrays.push((await variable.data()) as Float32Array | Int32Array);
    }
    const state = await optimizer.getState();
    trained.forEach(({ variable }, index) => {
      for (const [group, moments] of [
        ['first-moment', state.firstMoments],
        ['second-moment', state.secondMoments],
      ] as const) {
        entries.push({
          group,
          index,
          name: variable.name,
          dtype: 'float32',
          shape: [...variable.shape],
        });
        arrays.push(moments[index]!);
      }
    });
    return {
      manifest: {
        format: CHECKPOINT_FORMAT,
        version: CHECKPOINT_VERSION,
        objectiveId: objective.objectiveId,
        step,
        randomState: random.getState(),
        optimizer: { kind: 'adamw', steps: state.steps, ...optimizer.options },
        maxGradientNorm: Number.isFinite(maxGradientNorm) ? maxGradientNorm : null,
        tensors: entries,
        metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>,
      },
      arrays,
    };
  };

  const loadCheckpoint = (checkpoint: TrainingCheckpoint): void => {
    if (disposed) throw disposedError('loadCheckpoint');
    const fail = (expected: string, receivedDescription: string, fix: string) =>
      new InvalidArgumentError({
        functionName: 'loadCheckpoint',
        argumentName: 'checkpoint',
        expected,
        received: checkpoint,
        receivedDescription,
        fix,
      });
    const manifest = checkpoint?.manifest;
    if (manifest?.format !== CHECKPOINT_FORMAT || !Array.isArray(checkpoint.arrays)) {
      throw fail(
        'a checkpoint from trainer.saveCheckpoint() or a checkpoint store',
        'something else',
        'pass the value saveCheckpoint() or a load function returned.',
      );
    }
    if (manifest.objectiveId !== objective.objectiveId) {
      throw fail(
        `a checkpoint of objective '${objective.objectiveId}'`,
        `a checkpoint of '${manifest.objectiveId}'`,
        'load it into a trainer of the same objective.',
      );
    }
    const expected = trained.length * 3;
    if (manifest.tensors.length !== expected || checkpoint.arrays.length !== expected) {
      throw fail(
        `${expected} tensors (${trained.length} variables with two moments each)`,
        `${manifest.tensors.length} tensors`,
        'build the model and objective with the same configuration as the saved run.',
      );
    }
    // Check everything before assigning anything: a refused checkpoint leaves the trainer untouched.
    manifest.tensors.forEach((entry, position) => {
      const isWeight = position < trained.length;
      const momentIndex = Math.floor((position - trained.length) / 2);
      const owner = trained[isWeight ? position : momentIndex]!;
      const groupOk = isWeight
        ? entry.group === owner.group && entry.index === owner.index
        : entry.index === momentIndex &&
          entry.group ===
            ((position - trained.length) % 2 === 0 ? 'first-moment' : 'second-moment');
      const shapeOk =
        entry.shape.length === owner.variable.shape.length &&
        entry.shape.every((size, axis) => size === owner.variable.shape[axis]);
      const size = owner.variable.size;
      if (!groupOk || !shapeOk || checkpoint.arrays[position]!.length !== size) {
        throw fail(
          `tensor ${position} (${owner.group} variable ${owner.index}, '${owner.variable.name}') of shape [${owner.variable.shape.join(', ')}]`,
          `${entry.group} ${entry.index} of shape [${entry.shape.join(', ')}] with ${checkpoint.arrays[position]!.length} values`,
          'build the model and objective with the same configuration as the saved run.',
        );
      }
    });
    trained.forEach(({ variable }, index) => {
      tf.tidy(() =>
        variable.assign(tf.tensor(checkpoint.arrays[index]!, variable.shape, variable.dtype)),
      );
    });
    const firstMoments: Float32Array[] = [];
    const secondMoments: Float32Array[] = [];
    for (let index = 0; index < trained.length; index++) {
      firstMoments.push(checkpoint.arrays[trained.length + 2 * index] as Float32Array);
      secondMoments.push(checkpoint.arrays[trained.length + 2 * index + 1] as Float32Array);
    }
    optimizer.setState({ steps: manifest.optimizer.steps, firstMoments, secondMoments });
    random.restore(manifest.randomState);
    step = manifest.step;
  };

  return {
    get step() {
      return step;
    },
    random,
    variables,
    weightDecayMask: optimizer.decays,
    trainStep,
    evaluate,
    train,
    probe,
    saveCheckpoint,
    loadCheckpoint,
    dispose() {
      if (disposed) return;
      disposed = true;
      optimizer.dispose();
    },
  };
}

function disposedError(functionName: string): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName: 'this',
    expected: 'a trainer that was not disposed',
    received: 'a disposed trainer',
    fix: 'create a new trainer (and load a checkpoint to continue).',
  });
}
