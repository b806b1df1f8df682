import type { TransformerModel } from '@lm-objectives/models';
import type * as tf from '@tensorflow/tfjs-core';
import type { TaskParameterCounts } from './demo-task';

/**
 * Trainable and total parameters of a model plus the extra variables the forward pass uses (an
 * objective's heads, adapters, prefixes). A model variable counts as trainable unless frozen
 * (`trainable: false`, as LoRA leaves the base); every extra variable is trainable.
 */
export function modelParameterCounts(
  model: TransformerModel,
  extra: readonly tf.Variable[],
): TaskParameterCounts {
  const counts = model.parameterCounts();
  const extraSize = extra.reduce((sum, variable) => sum + variable.size, 0);
  return { trainable: counts.trainable + extraSize, total: counts.total + extraSize };
}
