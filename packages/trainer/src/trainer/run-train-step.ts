import { InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteStepError } from '../errors/non-finite-step-error';
import { TensorLeakError, type TensorLeakPhase } from '../errors/tensor-leak-error';
import { type ClippedGradients, clipByGlobalNorm } from '../optimizer/clip-by-global-norm';
import type { LearningRateSchedule } from '../schedule/learning-rate-schedule';
import { accumulateGradients } from '../step/accumulate-gradients';
import { checkWindow, emptyWindowError, scoresNothing, windowTokens } from './check-window';
import type { StepResult } from './progress-event';
import type { ReadBackPhases } from './read-back';
import { type StepReport, stackStepScalars } from './read-step-report';
import type { TrainerSettings } from './trainer-options';
import { checkNotDisposed, type TrainerState } from './trainer-state';

/** The schedule's rate $\eta_s$ for step $s$, which must be a finite number $\ge 0$. */
export function scheduledRate(schedule: LearningRateSchedule, step: number): number {
  const rate = schedule(step);
  if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) {
    throw new InvalidArgumentError({
      functionName: 'trainStep',
      argumentName: 'options.learningRate',
      expected: `a schedule returning a finite rate ≥ 0 (for step ${step})`,
      received: rate,
      fix: 'return a number such as 3e-4 for every step, or use createLearningRateSchedule.',
    });
  }
  return rate;
}

/** Tensors and bytes a step may leave alive: what `leakGuard: 'warn'` let through. */
interface Allowance {
  tensors: number;
  bytes: number;
}

/**
 * The leak guard: a growth of `tensors` (beyond `allowance`) throws a {@link TensorLeakError}
 * (`'throw'`), is reported to `onWarning` and allowed from then on (`'warn'`), or is ignored.
 */
function guardLeak(
  settings: TrainerSettings<unknown, ObjectiveBatchV1, unknown, string>,
  leak: {
    step: number;
    phase: TensorLeakPhase;
    tensorsBefore: number;
    tensors: number;
    bytes: number;
  },
  allowance: Allowance,
): void {
  if (leak.tensors === 0 || settings.leakGuard === 'off') return;
  const error = new TensorLeakError({
    step: leak.step,
    phase: leak.phase,
    tensorsBefore: leak.tensorsBefore,
    tensorsAfter: leak.tensorsBefore + allowance.tensors + leak.tensors,
    bytesGrowth: leak.bytes,
  });
  if (settings.leakGuard === 'throw') throw error;
  settings.warn(error.message);
  allowance.tensors += leak.tensors;
  allowance.bytes += leak.bytes;
}

/**
 * One optimizer step over a window of $K$ micro-batches: the gradient of the window's loss
 * normalised by its counts, $g = \sum_k \nabla \mathrm{sum}_k / N$; clipping to the global norm $c$;
 * then AdamW at the scheduled rate $\eta_s$.
 *
 * Both guards decide **before** the update: a window that scores nothing, a forward or backward
 * pass (or clipping) that leaves tensors behind under `leakGuard: 'throw'`, and a non-finite loss
 * or gradient norm under `nonFinite: 'throw'` throw with the weights, the optimizer state and the
 * step exactly as they were, so a caller that catches and retries trains once. With
 * `nonFinite: 'skip-step'` the step is counted without an update. The update itself runs inside
 * `tf.tidy`; the tensor count is checked once more after it.
 *
 * The loss, the parts, the metrics and the gradient norm are read back once, in the middle
 * ({@link ReadBackPhases}): `trainer.trainStep` reads synchronously, `trainer.trainStepAsync` and
 * `train` asynchronously (WebGPU). `functionName` names the caller in errors and warnings.
 */
export function* trainStepPhases<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  window: readonly Batch[],
  functionName: string,
): ReadBackPhases<StepResult<PartName>> {
  checkNotDisposed(state, functionName);
  const { settings } = state;
  const { objective, model } = settings;
  const guardSettings = settings as unknown as TrainerSettings<
    unknown,
    ObjectiveBatchV1,
    unknown,
    string
  >;
  const counts = checkWindow(window, objective.partNames, functionName);
  if (scoresNothing(counts)) throw emptyWindowError(functionName, window, counts);
  const stepNumber = state.step + 1;
  const learningRate = scheduledRate(settings.schedule, state.step);
  const before = tf.memory();
  const allowance: Allowance = { tensors: 0, bytes: 0 };
  const leak = (phase: TensorLeakPhase, tensors: number, bytes: number) =>
    guardLeak(
      guardSettings,
      { step: stepNumber, phase, tensorsBefore: before.numTensors, tensors, bytes },
      allowance,
    );

  const computed = accumulateGradients<Batch, Outputs, PartName>({
    objective,
    model,
    window,
    variables: state.variables,
  });
  let clipped: ClippedGradients;
  let report: StepReport<PartName>;
  try {
    leak('model-or-objective', computed.leakedTensors, computed.leakedBytes);
    clipped = clipByGlobalNorm(computed.gradients, settings.maxGradientNorm);
    const stacked = stackStepScalars(
      objective.partNames,
      computed.loss,
      [clipped.norm],
      computed.parts,
      computed.counts,
      computed.metrics,
    );
    try {
      report = stacked.decode(yield stacked.values);
    } finally {
      stacked.values.dispose();
    }
  } finally {
    computed.dispose();
  }
  const owned = [
    clipped.norm,
    ...clipped.gradients.filter((gradient): gradient is tf.Tensor => gradient != null),
  ];
  const gradientNorm = report.extra[0]!;
  const finite = Number.isFinite(report.loss) && Number.isFinite(gradientNorm);
  try {
    if (!finite && settings.nonFinite === 'throw') {
      throw new NonFiniteStepError(stepNumber, report.loss, gradientNorm);
    }
    // Alive now: what was alive before, what the guard let through, and the clipped gradients.
    const current = tf.memory();
    const ownedBytes = owned.reduce((sum, tensor) => sum + 4 * tensor.size, 0);
    leak(
      'update',
      current.numTensors - before.numTensors - allowance.tensors - owned.length,
      Math.max(0, current.numBytes - before.numBytes - allowance.bytes - ownedBytes),
    );
    if (finite) state.optimizer.applyGradients(clipped.gradients, learningRate);
    else
      settings.warn(
        `${functionName}: step ${stepNumber} skipped: loss ${report.loss}, gradient norm ${gradientNorm}.`,
      );
  } finally {
    tf.dispose(owned);
  }
  state.step = stepNumber;
  const after = tf.memory();
  // The update cannot leak (tf.tidy); were it ever to, the step is applied and counted, and reported.
  leak(
    'update',
    after.numTensors - before.numTensors - allowance.tensors,
    Math.max(0, after.numBytes - before.numBytes - allowance.bytes),
  );
  return {
    step: stepNumber,
    loss: report.loss,
    parts: report.parts,
    metrics: report.metrics,
    learningRate,
    gradientNorm,
    clipped: finite && gradientNorm + 1e-6 > settings.maxGradientNorm,
    skipped: !finite,
    microBatches: window.length,
    tokens: windowTokens(window),
    numTensors: after.numTensors,
  };
}
