import { fieldToTensor, InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The batch fields a model reads (`inputFields`, or all of them) as new tensors. The caller owns
 * them; inside `tf.variableGrads` or `tf.tidy` they are freed with the scope.
 */
export function modelInputTensors(
  batch: ObjectiveBatchV1,
  inputFields: readonly string[] | undefined,
  functionName: string,
): Record<string, tf.Tensor> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const name of inputFields ?? Object.keys(batch.fields)) {
    const field = batch.fields[name];
    if (field === undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'model.inputFields',
        expected: `names of the batch's fields (${Object.keys(batch.fields).join(', ')})`,
        received: name,
        fix: "list only fields the objective's batches carry.",
      });
    }
    tensors[name] = fieldToTensor(field);
  }
  return tensors;
}
