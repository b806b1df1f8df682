import { crossEntropy, linear, type TokenLoss, tokenAccuracy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { NextSentenceHeadWeights } from './create-bert-head-weights';

/**
 * The next-sentence part: pooled $= \tanh(h_{:,0} W_p + b_p)$ (or the model's pooled output),
 * logits $= \mathrm{pooled}\,W_c + b_c$ (2 classes), and
 * $L_{\mathrm{nsp}} = \frac{1}{B}\sum_b -\log \mathrm{softmax}(\mathrm{logits}_b)[y_b]$ with
 * $y_b = 1$ meaning "B is random". Call inside a `tf.tidy`.
 */
export function nextSentenceHead(
  hiddenStates: tf.Tensor,
  pooledOutput: tf.Tensor | undefined,
  weights: NextSentenceHeadWeights,
  labels: Int32Array,
  settings: { numItemsInBatch: number | undefined; metrics: boolean },
): { part: TokenLoss; accuracy: tf.Scalar | undefined } {
  const [batchSize, , hiddenSize] = hiddenStates.shape as [number, number, number];
  let pooled = pooledOutput;
  if (pooled === undefined) {
    const first = tf.reshape(tf.slice(hiddenStates, [0, 0, 0], [batchSize, 1, hiddenSize]), [
      batchSize,
      hiddenSize,
    ]);
    pooled = tf.tanh(linear(first, weights.poolerKernel!, weights.poolerBias!));
  }
  const logits = linear(pooled, weights.classifierKernel, weights.classifierBias);
  const part = crossEntropy(logits, labels, { numItemsInBatch: settings.numItemsInBatch });
  const accuracy = settings.metrics ? tokenAccuracy(logits, labels).accuracy : undefined;
  return { part, accuracy };
}
