import * as tf from '@tensorflow/tfjs-core';
import type { BatchField } from './batch-field';
import type { ObjectiveBatchV1 } from './objective-batch';

/**
 * A batch field as a tensor of its dtype and shape. The data is copied: on the cpu backend a tensor
 * would otherwise share the batch's typed array, and a later change to the batch (a reused
 * buffer, a transfer with `postMessage`) would silently change the tensor. The caller owns it.
 */
export function fieldToTensor(field: BatchField): tf.Tensor {
  return tf.tensor(field.data.slice(), [...field.shape], field.dtype);
}

/**
 * Converts a batch's fields (all, or the named ones) to tensors, for the model and the loss.
 * The caller owns the tensors: dispose them (e.g. `tf.dispose(Object.values(tensors))`).
 */
export function batchToTensors<FieldName extends string>(
  batch: ObjectiveBatchV1<FieldName>,
  names: readonly FieldName[] = Object.keys(batch.fields) as FieldName[],
): Record<FieldName, tf.Tensor> {
  const tensors = {} as Record<FieldName, tf.Tensor>;
  for (const name of names) tensors[name] = fieldToTensor(batch.fields[name]);
  return tensors;
}
