import { checkOptionKeys, InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelInputs, TrainableModel } from './trainable-model';

/**
 * The members of a `tf.layers` model (`tf.LayersModel`, `tf.Sequential`, or a single layer) that
 * the trainer uses. Typed structurally so that this package does not depend on
 * `@tensorflow/tfjs-layers`.
 */
export interface LayersModelLike {
  /** The forward pass (`tf.layers` calls it with `{ training }`). */
  apply(
    inputs: tf.Tensor | tf.Tensor[],
    kwargs?: { training?: boolean },
  ): tf.Tensor | tf.Tensor[] | unknown;
  readonly trainableWeights: readonly {
    readonly name: string;
    /** The weight's variable. */
    read(): tf.Tensor;
  }[];
}

/** How {@link fromLayersModel} connects a `tf.layers` model to an objective. */
export interface FromLayersModelOptions<Outputs, Batch extends ObjectiveBatchV1> {
  /**
   * The batch fields the model reads, in the order of its inputs. Default `['inputIds']`: the
   * input of the model is then `tensors.inputIds`.
   */
  inputFields?: readonly string[];
  /**
   * Turns the model's result into the objective's outputs. Default: `{ logits: result }`, for a
   * model whose last layer produces the vocabulary scores.
   */
  outputs?: (result: tf.Tensor | tf.Tensor[], inputs: ModelInputs<Batch>) => Outputs;
}

/**
 * Adapts a `tf.layers` model to a {@link TrainableModel}. The model must be built (call
 * `model.build(...)` or run it once) so that its weights exist; its trainable weights become the
 * variables to optimise, and those whose name contains `embed` (e.g. an `Embedding` layer's
 * `embeddings`) are treated as embedding tables.
 *
 * `apply` is called with `{ training }`, so dropout layers are active only while training; note
 * that tfjs's dropout draws from an unseeded generator, so runs with dropout are not
 * bit-reproducible.
 *
 * @example
 * const trainable = fromLayersModel(model, {
 *   inputFields: ['inputIds'],
 *   outputs: (logits) => ({ logits: logits as tf.Tensor }),
 * });
 */
export function fromLayersModel<
  Outputs = { logits: tf.Tensor },
  Batch extends ObjectiveBatchV1 = ObjectiveBatchV1,
>(
  model: LayersModelLike,
  options: FromLayersModelOptions<Outputs, Batch> = {},
): TrainableModel<Outputs, Batch> {
  if (
    model == null ||
    typeof model.apply !== 'function' ||
    !Array.isArray(model.trainableWeights)
  ) {
    throw new InvalidArgumentError({
      functionName: 'fromLayersModel',
      argumentName: 'model',
      expected: 'a tf.layers model or layer (with apply() and trainableWeights)',
      received: model,
      fix: 'pass the object returned by tf.sequential(), tf.model() or a tf.layers layer.',
    });
  }
  if (model.trainableWeights.length === 0) {
    throw new InvalidArgumentError({
      functionName: 'fromLayersModel',
      argumentName: 'model',
      expected: 'a built model with at least one trainable weight',
      received: model,
      receivedDescription: 'a model with no trainable weights (not built yet?)',
      fix: 'call model.build(inputShape) or run the model once before adapting it.',
    });
  }
  checkOptionKeys('fromLayersModel', options, ['inputFields', 'outputs']);
  const inputFields = options.inputFields ?? ['inputIds'];
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const toOutputs =
    options.outputs ??
    ((result: tf.Tensor | tf.Tensor[]) => ({ logits: result }) as unknown as Outputs);
  return {
    variables,
    embeddings: variables.filter((variable) => /embed/i.test(variable.name)),
    inputFields,
    apply(inputs) {
      const modelInputs = inputFields.map((name) => {
        const tensor = inputs.tensors[name];
        if (tensor === undefined) {
          throw new InvalidArgumentError({
            functionName: 'fromLayersModel',
            argumentName: 'options.inputFields',
            expected: `names of batch fields (${Object.keys(inputs.tensors).join(', ')})`,
            received: name,
            fix: 'list the batch fields the model takes, in the order of its inputs.',
          });
        }
        return tensor;
      });
      const result = model.apply(modelInputs.length === 1 ? modelInputs[0]! : modelInputs, {
        training: inputs.training,
      }) as tf.Tensor | tf.Tensor[];
      return toOutputs(result, inputs);
    },
  };
}
