import { InvalidArgumentError, type ObjectiveBatchV1, suggestClosest } from '@lm-objectives/core';
import type { TrainableModel } from '../model/trainable-model';

/** The members of a {@link TrainableModel}. */
export const TRAINABLE_MODEL_KEYS = ['apply', 'variables', 'embeddings', 'inputFields'] as const;

/**
 * The member `key` is a misspelling of (core's `suggestClosest`: the same name up to case, `_`
 * and `-`, or a few edits away). A model object may carry members of its own (`dispose`, a
 * config), so only near misses of the trainer's members are refused — those would otherwise be
 * ignored without a word (`inputfields`, `input_fields`, `embedding`, `variable`).
 */
function misspeltMember(key: string): string | undefined {
  if ((TRAINABLE_MODEL_KEYS as readonly string[]).includes(key)) return undefined;
  return suggestClosest(key, TRAINABLE_MODEL_KEYS);
}

/**
 * Checks the `model` option of `createTrainer`: an object with an `apply` function, a `variables`
 * array, when present an `embeddings` array and an `inputFields` array of strings, and no
 * misspelt member (see `misspeltMember`). The variables themselves are checked when collected.
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
  for (const key of Object.keys(value)) {
    const member = misspeltMember(key);
    if (member !== undefined) {
      throw fail(
        `${argumentName}.${key}`,
        `one of the model members ${TRAINABLE_MODEL_KEYS.join(', ')}`,
        key,
        `did you mean '${member}'? Rename it (members are camelCase); as spelt, the trainer would ignore it.`,
      );
    }
  }
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
