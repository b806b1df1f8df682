import {
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { modelInputTensors } from '../internal/model-input-tensors';
import { releaseAbandonedTape } from '../internal/release-abandoned-tape';
import type { TrainableModel } from '../model/trainable-model';

/** One micro-batch's share of a window: the caller owns every tensor. */
export interface MicroBatchGradients<PartName extends string> {
  /** $L_k = \mathrm{sum}_k / N$, the micro-batch's loss normalised by the window's counts. */
  readonly loss: tf.Scalar;
  /** $\nabla_\theta L_k$ by variable name (tfjs's `variableGrads`); a missing name got no gradient. */
  readonly grads: Readonly<Record<string, tf.Tensor>>;
  readonly parts: Readonly<
    Record<PartName, { readonly sum: tf.Tensor; readonly count: tf.Tensor }>
  >;
  /** The objective's metrics, as float32. */
  readonly metrics: Readonly<Record<string, tf.Tensor>>;
  /** Tensors the model or the objective left alive beyond these. */
  readonly leakedTensors: number;
  /** The bytes they hold. */
  readonly leakedBytes: number;
}

/**
 * The forward and backward pass of one micro-batch, with `numItemsInBatch` $= N$ (the window's
 * counts), inside `tf.variableGrads`: the loss, its gradient, the parts and metrics kept out of
 * the tape's tidy, and how many tensors the model or the objective left behind
 * (`tf.memory()` growth minus what is returned). On failure, everything it created is freed.
 */
export function microBatchGradients<
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  objective: LossObjectiveV1<never, Batch, Outputs, PartName>,
  model: TrainableModel<Outputs, Batch>,
  batch: Batch,
  variables: readonly tf.Variable[],
  counts: Readonly<Record<PartName, number>>,
  training: boolean,
): MicroBatchGradients<PartName> {
  const partNames = objective.partNames as readonly PartName[];
  const parts = {} as Record<PartName, { sum: tf.Tensor; count: tf.Tensor }>;
  let metrics: Record<string, tf.Tensor> = {};
  let kept: tf.Tensor[] = [];
  const before = tf.memory();
  try {
    // The outer tidy frees the loss tfjs returns if the backward pass throws (tf.keep'd tensors
    // survive it and are freed in the catch below).
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => {
        const tensors = modelInputTensors(batch, model.inputFields, 'accumulateGradients');
        const outputs = model.apply({ tensors, batch, training });
        const result = objective.computeLoss({ outputs, batch, numItemsInBatch: counts, training });
        // The tape's tidy frees everything but the returned loss: keep what we report. A tensor
        // the objective reuses (e.g. one part's loss as the total) is kept once and cloned after.
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
          parts[part] = { sum: tf.clone(reported.sum), count: tf.clone(reported.count) };
        }
        // As float32: the average over micro-batches divides, and int32 division floors.
        metrics = Object.fromEntries(
          Object.entries(result.metrics ?? {}).map(([name, metric]) => [
            name,
            tf.cast(metric, 'float32'),
          ]),
        );
        kept = [
          ...Object.values<{ sum: tf.Tensor; count: tf.Tensor }>(parts).flatMap((part) => [
            part.sum,
            part.count,
          ]),
          ...Object.values(metrics),
        ];
        for (const tensor of kept) tf.keep(tensor);
        return result.loss;
      }, variables as tf.Variable[]),
    );
    const returned = [value, ...kept, ...Object.values(grads)];
    const after = tf.memory();
    const leakedTensors = after.numTensors - before.numTensors - returned.length;
    // Every returned tensor owns its data here (clones of tensors the tape's tidy freed).
    const returnedBytes = returned.reduce((sum, tensor) => sum + 4 * tensor.size, 0);
    const leakedBytes =
      leakedTensors === 0 ? 0 : Math.max(0, after.numBytes - before.numBytes - returnedBytes);
    return { loss: value, grads, parts, metrics, leakedTensors, leakedBytes };
  } catch (error) {
    releaseAbandonedTape();
    tf.dispose(kept.filter((tensor) => !tensor.isDisposed));
    throw error;
  }
}
