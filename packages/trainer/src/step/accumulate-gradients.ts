import {
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { addInto } from '../internal/add-into';
import type { TrainableModel } from '../model/trainable-model';
import { microBatchGradients } from './micro-batch-gradients';
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
  try {
    for (const batch of window) {
      const micro = microBatchGradients(objective, model, batch, variables, counts, training);
      leakedTensors += micro.leakedTensors;
      leakedBytes += micro.leakedBytes;
      loss = addInto(loss, micro.loss);
      for (const part of partNames) {
        sums[part] = addInto(sums[part], micro.parts[part].sum);
        partCounts[part] = addInto(partCounts[part], micro.parts[part].count);
      }
      for (const [name, metric] of Object.entries(micro.metrics)) {
        metricSums[name] = addInto(metricSums[name], metric);
      }
      variables.forEach((variable, index) => {
        const gradient = micro.grads[variable.name];
        if (gradient != null) gradients[index] = addInto(gradients[index], gradient);
      });
    }
  } catch (error) {
    tf.dispose(
      [
        ...gradients,
        loss,
        ...Object.values(sums),
        ...Object.values(partCounts),
        ...Object.values(metricSums),
      ].filter((tensor): tensor is tf.Tensor => tensor != null),
    );
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
