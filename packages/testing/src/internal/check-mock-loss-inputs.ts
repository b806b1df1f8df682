import {
  checkTensor,
  formatShape,
  InvalidArgumentError,
  type LogitScores,
  type ObjectiveBatchV1,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The input checks both mock objectives' `computeLoss` make: a batch with a `labels` field, and
 * float32 logits of shape `[batch, sequence, vocabularySize]`. Returns the logits.
 */
export function checkMockLossInputs(
  lossFunction: string,
  outputs: unknown,
  batch: ObjectiveBatchV1 | null | undefined,
  vocabularySize: number,
): tf.Tensor {
  if (batch == null || typeof batch !== 'object' || batch.fields?.['labels'] == null) {
    throw new InvalidArgumentError({
      functionName: lossFunction,
      argumentName: 'batch',
      expected: 'a batch made by createBatch',
      received: batch,
      fix: 'pass the batch made by this objective’s createBatch.',
    });
  }
  const logits = checkTensor(
    { functionName: lossFunction, argumentName: 'outputs.logits' },
    (outputs as Partial<LogitScores> | null)?.logits,
    { dtypes: ['float32'], ranks: [3] },
  );
  const expected = [batch.size, batch.dimensions['sequence']!, vocabularySize];
  if (logits.shape.some((size, axis) => size !== expected[axis])) {
    throw new ShapeMismatchError({
      functionName: lossFunction,
      argumentName: 'outputs.logits',
      expected: `shape ${formatShape(expected)} (batch, sequence, vocabulary)`,
      received: logits,
      fix: 'run the model on batch.fields.inputIds and pass its logits.',
    });
  }
  return logits;
}
