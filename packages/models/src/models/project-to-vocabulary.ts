import { type HiddenStateScores, linear } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Full logits from hidden states and an output projection: $z = h E^\top$ for a tied
 * `'vocab-by-hidden'` table (or $z = h W$ for `'hidden-by-vocab'`), plus the bias if any. For
 * predictions and sampling; training losses should take `{ hiddenStates, projection }` to core's
 * fused `tokenCrossEntropy` instead, which never builds all logits.
 *
 * @returns float32 `[..., V]`; the caller owns it.
 */
export function projectToVocabulary(scores: HiddenStateScores): tf.Tensor {
  const { hiddenStates, projection } = scores;
  return tf.tidy(() => {
    // An explicit transpose keeps the product on wasm's fast path (no transposed-flag matMul).
    const kernel =
      projection.layout === 'vocab-by-hidden' ? tf.transpose(projection.weight) : projection.weight;
    return linear(hiddenStates, kernel, projection.bias);
  });
}
