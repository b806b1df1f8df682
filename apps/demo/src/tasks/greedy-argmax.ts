import { projectToVocabulary, type TransformerOutputs } from '@lm-objectives/models';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The arg-max token at the last position of a one-row forward pass (greedy decoding), reading
 * only that position's logits $h_{L-1} E^\top$; with `excludedId`, the best other token (a
 * minimum-length rule: no end marker yet). Disposes the outputs' hidden states.
 */
export function greedyArgmax(outputs: TransformerOutputs, excludedId?: number): number {
  const [best, second] = tf.tidy(() => {
    const length = outputs.hiddenStates.shape[1];
    const last = tf.slice(outputs.hiddenStates, [0, length - 1, 0], [1, 1, -1]) as tf.Tensor3D;
    const logits = projectToVocabulary({ ...outputs, hiddenStates: last });
    outputs.hiddenStates.dispose();
    return Array.from(tf.topk(tf.reshape(logits, [-1]), 2).indices.dataSync());
  });
  return best === excludedId ? second! : best!;
}
