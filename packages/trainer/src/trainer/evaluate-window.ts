import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { addInto } from '../internal/add-into';
import { modelInputTensors } from '../internal/model-input-tensors';
import { checkWindow, emptyWindowError, scoresNothing, windowTokens } from './check-window';
import type { StepResult } from './progress-event';
import type { ReadBackPhases } from './read-back';
import { type StepReport, stackStepScalars } from './read-step-report';
import { checkNotDisposed, type TrainerState } from './trainer-state';

/** What `trainer.evaluate` returns: a step's numbers without the update's. */
export type EvaluationResult<PartName extends string> = Omit<
  StepResult<PartName>,
  'learningRate' | 'gradientNorm' | 'clipped' | 'skipped' | 'step'
>;

/** One micro-batch's loss, part sums and counts, and float32 metrics, without gradients. */
function evaluateBatch<Example, Batch extends ObjectiveBatchV1, Outputs, PartName extends string>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  batch: Batch,
  counts: Readonly<Record<PartName, number>>,
) {
  const { objective, model } = state.settings;
  return tf.tidy(() => {
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
}

/**
 * The window's loss, parts and metrics with `training: false` and no gradients — the loss a step
 * on this window would train on, $L = \sum_k \mathrm{sum}_k / N$ — read back in one transfer. The
 * weights, the optimizer and the step do not change. The numbers are read back once, in the
 * middle ({@link ReadBackPhases}): synchronously for `trainer.evaluate`, asynchronously for
 * `trainer.evaluateAsync`.
 */
export function* evaluationPhases<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  window: readonly Batch[],
  functionName: string,
): ReadBackPhases<EvaluationResult<PartName>> {
  checkNotDisposed(state, functionName);
  const { partNames } = state.settings.objective;
  const counts = checkWindow(window, partNames, functionName);
  if (scoresNothing(counts)) throw emptyWindowError(functionName, window, counts);
  let loss: tf.Tensor | undefined;
  const sums = {} as Record<PartName, tf.Tensor | undefined>;
  const partCounts = {} as Record<PartName, tf.Tensor | undefined>;
  const metricSums: Record<string, tf.Tensor> = {};
  const metrics: Record<string, tf.Scalar> = {};
  let report: StepReport<PartName>;
  try {
    for (const batch of window) {
      const result = evaluateBatch(state, batch, counts);
      loss = addInto(loss, result.loss);
      partNames.forEach((part, index) => {
        sums[part] = addInto(sums[part], result.sums[index]!);
        partCounts[part] = addInto(partCounts[part], result.counts[index]!);
      });
      for (const [name, metric] of Object.entries(result.metrics)) {
        metricSums[name] = addInto(metricSums[name], metric);
      }
    }
    for (const [name, total] of Object.entries(metricSums))
      metrics[name] = tf.div(total, window.length);
    const parts = {} as Record<PartName, { sum: tf.Scalar; count: tf.Scalar }>;
    for (const part of partNames) {
      parts[part] = { sum: sums[part] as tf.Scalar, count: partCounts[part] as tf.Scalar };
    }
    const stacked = stackStepScalars(partNames, loss as tf.Scalar, [], parts, counts, metrics);
    try {
      report = stacked.decode(yield stacked.values);
    } finally {
      stacked.values.dispose();
    }
  } finally {
    tf.dispose(
      [
        loss,
        ...Object.values(sums),
        ...Object.values(partCounts),
        ...Object.values(metricSums),
        ...Object.values(metrics),
      ].filter((tensor): tensor is tf.Tensor => tensor !== undefined),
    );
  }
  return {
    loss: report.loss,
    parts: report.parts,
    metrics: report.metrics,
    microBatches: window.length,
    tokens: windowTokens(window),
    numTensors: tf.memory().numTensors,
  };
}
