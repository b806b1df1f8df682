import { checkOptionKeys, InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type { TrainableModel } from '../model/trainable-model';

/** The members of a {@link TrainableModel}; any other key is refused (a misspelt member would be ignored). */
export const TRAINABLE_MODEL_KEYS = ['apply', 'variables', 'embeddings', 'inputFields'] as const;

/**
 * Checks the `model` option of `createTrainer`: an object with only the {@link TrainableModel}
 * members, an `apply` function, a `variables` array, and when present an `embeddings` array and an
 * `inputFields` array of strings. (The variables themselves are checked when they are collected.)
 */
export function checkTrainableModel<Outputs, Batch extends ObjectiveBatchV1>(
  value: unknown,
  functionName: string,
  argumentName: string,
): TrainableModel<Outputs, Batch> {
  const fail = (name: string, expected: string, received: unknown, fix: string) =>
    new InvalidArgumentError({ functionName, argumentName: name, expected, received, fix });
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as TrainableModel).apply !== 'function'
  ) {
    throw fail(
      argumentName,
      '{ apply(inputs) => outputs, variables: tf.Variable[], embeddings?, inputFields? }',
      value,
      'wrap your model function and its variables, or use fromLayersModel(layersModel).',
    );
  }
  checkOptionKeys(functionName, value, TRAINABLE_MODEL_KEYS, argumentName);
  const model = value as TrainableModel<Outputs, Batch>;
  if (model.embeddings !== undefined && !Array.isArray(model.embeddings)) {
    throw fail(
      `${argumentName}.embeddings`,
      'an array of tf.Variable (embedding tables among the variables)',
      model.embeddings,
      'list the embedding tables, or leave embeddings out.',
    );
  }
  if (
    model.inputFields !== undefined &&
    !(
      Array.isArray(model.inputFields) &&
      model.inputFields.every((name) => typeof name === 'string')
    )
  ) {
    throw fail(
      `${argumentName}.inputFields`,
      'an array of batch field names',
      model.inputFields,
      "list the batch fields the model reads, e.g. ['inputIds'].",
    );
  }
  return model as TrainableModel<Outputs, Batch>;
}
