import {
  checkTensor,
  InvalidArgumentError,
  type LogitScores,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The input checks both mock objectives' `computeLoss` make: a batch with a `labels` field, and
 * float32 logits of shape `[batch, sequence, vocabulary]` (core's named-dimension `checkTensor`).
 * Returns the logits.
 */
export function checkMockLossInputs(
  lossFunction: string,
  outputs: unknown,
  batch: ObjectiveBatchV1,
  vocabularySize: number,
): tf.Tensor {
  if (batch.fields['labels'] == null) {
    throw new InvalidArgumentError({
      functionName: lossFunction,
      argumentName: 'batch',
      expected: 'a batch made by createBatch',
      received: batch,
      fix: 'pass the batch made by this objective’s createBatch.',
    });
  }
  return checkTensor(
    { functionName: lossFunction, argumentName: 'outputs.logits' },
    (outputs as Partial<LogitScores> | null)?.logits,
    {
      dtypes: ['float32'],
      shape: ['batch', 'sequence', 'vocabulary'],
      dimensions: {
        batch: batch.size,
        sequence: batch.dimensions['sequence']!,
        vocabulary: vocabularySize,
      },
    },
  );
}
