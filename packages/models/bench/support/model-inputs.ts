// Inputs and the loss of one benchmark step, per model kind (the shapes the demo trains on).
import { createRng, prefixLmAttentionBias, tokenCrossEntropy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelKind, TransformerModel } from '../../src/index';

export interface BenchInputs {
  readonly tensors: Record<string, tf.Tensor>;
  readonly labels: tf.Tensor;
  readonly shift: boolean;
  dispose(): void;
}

/** Seeded random tokens; the BERT labels score 15% of positions, GLM's the second half of each row. */
export function makeInputs(
  kind: ModelKind,
  batchSize: number,
  length: number,
  vocabularySize: number,
): BenchInputs {
  const random = createRng(7);
  const size = batchSize * length;
  const ids = Int32Array.from({ length: size }, () => random.int(0, vocabularySize - 1));
  const grid = (values: ArrayLike<number>) =>
    tf.tensor2d(Int32Array.from(values), [batchSize, length], 'int32');
  const column = (index: number) => index % length;
  const tensors: Record<string, tf.Tensor> = { inputIds: grid(ids) };
  let labels: Int32Array = ids;
  if (kind === 'bert-encoder') {
    tensors['tokenTypeIds'] = grid(
      Array.from({ length: size }, (_, index) => (column(index) < length / 2 ? 0 : 1)),
    );
    tensors['attentionMask'] = grid(new Int32Array(size).fill(1));
    labels = ids.map((id) => (random.uniform() < 0.15 ? id : -100));
  } else if (kind === 'glm-encoder') {
    const half = length / 2;
    tensors['positionIds'] = grid(
      Array.from({ length: size }, (_, index) => Math.min(column(index), half)),
    );
    tensors['blockPositionIds'] = grid(
      Array.from({ length: size }, (_, index) => Math.max(0, column(index) - half + 1)),
    );
    tensors['attentionBias'] = prefixLmAttentionBias(new Array(batchSize).fill(half), length);
    labels = ids.map((id, index) => (column(index) < half ? -100 : id));
  }
  const labelTensor = grid(labels);
  return {
    tensors,
    labels: labelTensor,
    shift: kind === 'causal-decoder',
    dispose: () => tf.dispose([...Object.values(tensors), labelTensor]),
  };
}

/** The token loss of one batch through core's fused path (hidden states + tied projection). */
export function modelLoss(model: TransformerModel, inputs: BenchInputs): tf.Scalar {
  const outputs = model.apply(inputs.tensors as never);
  return tokenCrossEntropy(outputs, inputs.labels, { shift: inputs.shift }).loss as tf.Scalar;
}
