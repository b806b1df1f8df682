import {
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { addInto } from '../internal/add-into';
import { modelInputTensors } from '../internal/model-input-tensors';
import { releaseAbandonedTape } from '../internal/release-abandoned-tape';
import type { TrainableModel } from '../model/trainable-model';
import { windowCounts } from './window-counts';

/** Inputs of {@link accumulateGradients}. */
export interface AccumulateGradientsInput<
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string = string,
> {
  readonly objective: LossObjectiveV1<never, Batch, Outputs, PartName>;
  readonly model: TrainableModel<Outputs, Batch>;
  /** The micro-batches of one optimizer step (one or more; lengths may differ). */
  readonly window: readonly Batch[];
  /** The variables to differentiate with respect to (the trainer passes the model's and the objective's). */
  readonly variables: readonly tf.Variable[];
  /** Passed to the model and the objective. Default `true`. */
  readonly training?: boolean;
}

/** One loss part summed over a window. The caller owns the tensors. */
export interface WindowPart {
  /** $\sum_k \mathrm{sum}_k$. */
  readonly sum: tf.Scalar;
  /** $\sum_k \mathrm{count}_k$ as the objective computed it. */
  readonly count: tf.Scalar;
}

/** The gradients and losses of one window. The caller owns every tensor; see `dispose`. */
export interface WindowGradients<PartName extends string = string> {
  /** $\nabla_\theta L$ for each variable (aligned with the input's `variables`); `null` where none flows. */
  readonly gradients: (tf.Tensor | null)[];
  /** $L = \sum_k L_k$ where each $L_k$ was normalised by the window's counts: the window's loss. */
  readonly loss: tf.Scalar;
  /** Each part's sum and count over the window. */
  readonly parts: Readonly<Record<PartName, WindowPart>>;
  /** Each metric averaged over the micro-batches (unweighted). */
  readonly metrics: Readonly<Record<string, tf.Scalar>>;
  /** The window's counted items per part (`numItemsInBatch`), from the batches' declared counts. */
  readonly counts: Readonly<Record<PartName, number>>;
  /** Tensors the model or the objective left alive beyond what they returned (0 when nothing leaked). */
  readonly leakedTensors: number;
  /** `tf.memory().numBytes` those tensors hold (0 when nothing leaked). */
  readonly leakedBytes: number;
  /** Frees every tensor above. */
  dispose(): void;
}

/**
 * Computes the gradient of one optimizer step over a window of $K$ micro-batches, normalised by the
 * window's total counted items: every micro-batch's loss is computed with
 * `numItemsInBatch[p]` $= N_p = \sum_k \mathrm{count}_{k,p}$, so that
 *
 * $\nabla L = \sum_k \nabla \frac{\mathrm{sum}_k}{N} = \nabla \frac{\sum_k \mathrm{sum}_k}{\sum_k \mathrm{count}_k}$,
 *
 * the gradient of one big batch of all of them, never the mean of per-micro-batch means
 * $\frac1K\sum_k \mathrm{sum}_k/\mathrm{count}_k$ (which over-weights tokens of short micro-batches).
 * The counts come from each batch's `counts` (known without tensors), so no value is read back
 * between micro-batches.
 */
export function accumulateGradients<
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string = string,
>(input: AccumulateGradientsInput<Batch, Outputs, PartName>): WindowGradients<PartName> {
  const { objective, model, window, variables, training = true } = input;
  if (!Array.isArray(window) || window.length === 0) {
    throw new InvalidArgumentError({
      functionName: 'accumulateGradients',
      argumentName: 'window',
      expected: 'a non-empty array of batches made by the objective',
      received: window,
      fix: 'pass [batch] for one batch, or the K micro-batches of one accumulation window.',
    });
  }
  const partNames = objective.partNames as readonly PartName[];
  const counts = windowCounts(
    window as readonly ObjectiveBatchV1<string, PartName>[],
    partNames,
    'accumulateGradients',
  );
  const gradients: (tf.Tensor | null)[] = variables.map(() => null);
  let loss: tf.Tensor | null = null;
  const sums = {} as Record<PartName, tf.Tensor | null>;
  const partCounts = {} as Record<PartName, tf.Tensor | null>;
  const metricSums: Record<string, tf.Tensor> = {};
  let leakedTensors = 0;
  let leakedBytes = 0;
  // The current micro-batch's kept tensors, not yet added into the totals (freed on error).
  let kept: tf.Tensor[] = [];

  const disposeAll = () => {
    tf.dispose(gradients.filter((gradient): gradient is tf.Tensor => gradient != null));
    tf.dispose(
      [
        loss,
        ...Object.values(sums),
        ...Object.values(partCounts),
        ...Object.values(metricSums),
      ].filter((tensor): tensor is tf.Tensor => tensor != null),
    );
  };

  try {
    for (const batch of window) {
      kept = [];
      let keptParts: Record<string, { sum: tf.Tensor; count: tf.Tensor }> = {};
      let keptMetrics: Record<string, tf.Tensor> = {};
      const before = tf.memory();
      // The outer tidy frees the loss tfjs returns if the backward pass throws (tf.keep'd tensors
      // survive it and are freed in the catch below).
      const { value, grads } = tf.tidy(() =>
        tf.variableGrads(() => {
          const tensors = modelInputTensors(batch, model.inputFields, 'accumulateGradients');
          const outputs = model.apply({ tensors, batch, training });
          const result = objective.computeLoss({
            outputs,
            batch,
            numItemsInBatch: counts,
            training,
          });
          // The tape's tidy frees everything but the returned loss: keep what we report. A tensor
          // the objective reuses (e.g. one part's loss as the total) is kept once and cloned after.
          keptParts = {};
          for (const part of partNames) {
            const reported = result.parts[part];
            if (reported === undefined) {
              throw new InvalidArgumentError({
                functionName: 'accumulateGradients',
                argumentName: `objective.computeLoss(...).parts.${part}`,
                expected: `a token loss for every part in partNames (${partNames.join(', ')})`,
                received: result.parts,
                fix: 'return { loss, sum, count } for each declared part.',
              });
            }
            keptParts[part] = { sum: tf.clone(reported.sum), count: tf.clone(reported.count) };
          }
          keptMetrics = {};
          for (const [name, metric] of Object.entries(result.metrics ?? {})) {
            // As float32: the average over micro-batches divides, and int32 division floors.
            keptMetrics[name] = tf.cast(metric, 'float32');
          }
          kept = [
            ...Object.values(keptParts).flatMap((part) => [part.sum, part.count]),
            ...Object.values(keptMetrics),
          ];
          for (const tensor of kept) tf.keep(tensor);
          return result.loss;
        }, variables as tf.Variable[]),
      );
      const returned = [
        value,
        ...kept,
        ...Object.values(grads).filter((gradient) => gradient != null),
      ];
      const after = tf.memory();
      const leaked = after.numTensors - before.numTensors - returned.length;
      if (leaked !== 0) {
        leakedTensors += leaked;
        // Every returned tensor owns its data here (clones of tensors the tape's tidy freed).
        const returnedBytes = returned.reduce((sum, tensor) => sum + 4 * tensor.size, 0);
        leakedBytes += Math.max(0, after.numBytes - before.numBytes - returnedBytes);
      }

      loss = addInto(loss, value);
      for (const part of partNames) {
        sums[part] = addInto(sums[part], keptParts[part]!.sum);
        partCounts[part] = addInto(partCounts[part], keptParts[part]!.count);
      }
      for (const [name, metric] of Object.entries(keptMetrics)) {
        metricSums[name] = addInto(metricSums[name], metric);
      }
      variables.forEach((variable, index) => {
        const gradient = grads[variable.name];
        if (gradient != null) gradients[index] = addInto(gradients[index], gradient);
      });
    }
  } catch (error) {
    releaseAbandonedTape();
    tf.dispose(kept.filter((tensor) => !tensor.isDisposed));
    disposeAll();
    throw error;
  }

  const metrics: Record<string, tf.Scalar> = {};
  for (const [name, total] of Object.entries(metricSums)) {
    metrics[name] = tf.div(total, window.length) as tf.Scalar;
    total.dispose();
  }
  const parts = {} as Record<PartName, WindowPart>;
  for (const part of partNames) {
    parts[part] = { sum: sums[part] as tf.Scalar, count: partCounts[part] as tf.Scalar };
  }
  const windowLoss = loss as unknown as tf.Scalar;
  return {
    gradients,
    loss: windowLoss,
    parts,
    metrics,
    counts,
    leakedTensors,
    leakedBytes,
    dispose() {
      tf.dispose(gradients.filter((gradient): gradient is tf.Tensor => gradient != null));
      tf.dispose([
        windowLoss,
        ...(Object.values(parts) as WindowPart[]).flatMap((part) => [part.sum, part.count]),
        ...Object.values(metrics),
      ]);
    },
  };
}
