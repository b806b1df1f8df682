import * as tf from '@tensorflow/tfjs-core';
import type { TokenLoss } from '../../contract/v1/token-loss';
import { tidyResult } from '../../validation/tidy-result';

/**
 * The loss of a batch with no positions (`[0, V]` logits, `[B, 0, H]` hidden states…): zeros,
 * still connected to `inputs` so that `tf.grad` returns zero gradients of their shapes. Nothing is
 * reduced: the wasm backend returns arbitrary values for a `sum` (and for a product with an inner
 * size of 0) over an empty tensor, so every value here is made, not computed.
 *
 * @param leadingShape the labels' shape (`loss` has it with `reduction: 'none'`).
 */
export function emptyTokenLoss(
  inputs: readonly tf.Tensor[],
  leadingShape: readonly number[],
  perPosition: boolean,
): TokenLoss<tf.Tensor> {
  return tidyResult(() => {
    const zeroLoss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const tensors = args.slice(0, inputs.length) as tf.Tensor[];
      return {
        value: perPosition ? tf.zeros([...leadingShape]) : tf.scalar(0),
        gradFunc: () => tensors.map((input) => tf.zerosLike(input)),
      };
    });
    return { loss: zeroLoss(...inputs), sum: tf.scalar(0), count: tf.scalar(0) };
  });
}
