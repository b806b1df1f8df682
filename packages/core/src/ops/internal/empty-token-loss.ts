import * as tf from '@tensorflow/tfjs-core';
import type { TokenLoss } from '../../contract/v1/token-loss';
import { tidyResult } from '../../validation/tidy-result';
import type { ResolvedTokenLossOptions } from './token-loss-options';
import { type LabelsInput, type TokenTargetSettings, tokenTargets } from './token-targets';

/**
 * The loss of a batch with no positions (`[0, V]` logits, `[B, 0, H]` hidden states…): zeros,
 * still connected to `inputs` so that `tf.grad` returns zero gradients of their shapes. The
 * labels and weights are checked as for any batch; nothing is reduced: the wasm backend returns
 * arbitrary values for a `sum` (and for a product with an inner size of 0) over an empty tensor,
 * so every value here is made, not computed.
 */
export function emptyTokenLoss(
  inputs: readonly tf.Tensor[],
  labels: LabelsInput,
  options: ResolvedTokenLossOptions,
  targets: TokenTargetSettings,
): TokenLoss<tf.Tensor> {
  tf.tidy(() => {
    tokenTargets(labels, options.weights, targets);
  });
  return tidyResult(() => {
    const zeroLoss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const tensors = args.slice(0, inputs.length) as tf.Tensor[];
      return {
        value: options.reduction === 'none' ? tf.zeros([...targets.leadingShape]) : tf.scalar(0),
        gradFunc: () => tensors.map((input) => tf.zerosLike(input)),
      };
    });
    return { loss: zeroLoss(...inputs), sum: tf.scalar(0), count: tf.scalar(0) };
  });
}
