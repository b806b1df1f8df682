import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * What a model function receives for one micro-batch. The trainer creates the tensors from the
 * batch's typed arrays and frees them; the function must not dispose them.
 *
 * @typeParam Batch the objective's batch type.
 */
export interface ModelInputs<Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> {
  /** The batch fields named by {@link TrainableModel.inputFields} (all fields by default) as tensors. */
  readonly tensors: Readonly<Record<string, tf.Tensor>>;
  /** The batch itself (typed arrays), for anything the model reads without tensors. */
  readonly batch: Batch;
  /** `true` in a training step, `false` in evaluation: switch dropout and similar layers with it. */
  readonly training: boolean;
}

/**
 * A model as the trainer sees it: a function from a batch's tensors to the outputs the objective
 * reads, plus the variables to optimise. This fits a hand-written model (a list of `tf.Variable`s
 * and a function) as well as a `tf.layers` model (see `fromLayersModel`).
 *
 * @typeParam Outputs what the objective's `computeLoss` expects as `outputs` (e.g. `{ logits }` or
 *   `{ hiddenStates, projection }`).
 * @typeParam Batch the objective's batch type.
 * @example
 * const model: TrainableModel<{ logits: tf.Tensor }> = {
 *   variables: tiny.weights,
 *   embeddings: [tiny.weights[0]],
 *   inputFields: ['inputIds'],
 *   apply: ({ tensors }) => ({ logits: tiny.logits(tensors.inputIds as tf.Tensor2D) }),
 * };
 */
export interface TrainableModel<
  Outputs = unknown,
  Batch extends ObjectiveBatchV1 = ObjectiveBatchV1,
> {
  /**
   * The forward pass of one micro-batch. It runs inside `tf.variableGrads`, so every intermediate
   * tensor is freed automatically; it must not `tf.keep` per-call tensors or create variables
   * (the leak guard reports both).
   */
  apply(inputs: ModelInputs<Batch>): Outputs;
  /**
   * The variables the optimiser updates (frozen base weights of an adapter model stay out of this
   * list, or have `trainable: false`). Read once, when the trainer is created.
   */
  readonly variables: readonly tf.Variable[];
  /**
   * Embedding tables among {@link TrainableModel.variables}: excluded from weight decay by default,
   * like biases and normalisation weights. Variables whose name contains `embed` are recognised
   * without being listed.
   */
  readonly embeddings?: readonly tf.Variable[];
  /** The batch fields to convert to tensors for {@link TrainableModel.apply}. Default: all of them. */
  readonly inputFields?: readonly string[];
}
