import * as tf from '@tensorflow/tfjs-core';
import { feedForward } from '../layers/feed-forward';
import {
  type AttentionContext,
  type LayerKeyValues,
  multiHeadAttention,
} from '../layers/multi-head-attention';
import type { FeedForwardKind } from './transformer-spec';

/** What every block of one forward pass shares. @internal */
export interface BlockContext {
  readonly attention: AttentionContext;
  readonly feedForward: FeedForwardKind;
  readonly normalization: 'post' | 'pre';
  /** `'layerNorm'` or `'rmsNorm'`: the name of each block's normalisations. */
  readonly normName: string;
  readonly norm: (name: string, x: tf.Tensor) => tf.Tensor;
  /** Hidden dropout (the identity outside training). */
  readonly drop: (x: tf.Tensor) => tf.Tensor;
}

/**
 * One Transformer block `layers.<layer>`, with attention $A$ and feed-forward $F$:
 * - post-LN (BERT): $h \leftarrow \mathrm{N}(h + A(h))$, then $h \leftarrow \mathrm{N}(h + F(h))$;
 * - pre-LN (GPT-2, GLM, Llama): $h \leftarrow h + A(\mathrm{N}(h))$, then $h \leftarrow h + F(\mathrm{N}(h))$.
 *
 * @param hidden float32 `[B, L, H]`.
 * @param prefix this layer's extra keys and values, if any.
 * @returns the new hidden states and the keys and values the attention used. Call inside a tidy.
 * @internal
 */
export function transformerBlock(
  layer: number,
  hidden: tf.Tensor3D,
  prefix: LayerKeyValues | undefined,
  context: BlockContext,
): { hidden: tf.Tensor3D; keyValues: LayerKeyValues } {
  const block = `layers.${layer}`;
  const attentionNorm = `${block}.attention.${context.normName}`;
  const feedForwardNorm = `${block}.feedForward.${context.normName}`;
  let keyValues: LayerKeyValues | undefined;
  const attend = (x: tf.Tensor) => {
    const result = multiHeadAttention(
      `${block}.attention`,
      x as tf.Tensor3D,
      prefix,
      context.attention,
    );
    keyValues = result.keyValues;
    return context.drop(result.output);
  };
  const transform = (x: tf.Tensor) =>
    context.drop(
      feedForward(`${block}.feedForward`, x, context.feedForward, context.attention.linear),
    );
  let output: tf.Tensor;
  if (context.normalization === 'post') {
    output = context.norm(attentionNorm, tf.add(hidden, attend(hidden)));
    output = context.norm(feedForwardNorm, tf.add(output, transform(output)));
  } else {
    output = tf.add(hidden, attend(context.norm(attentionNorm, hidden)));
    output = tf.add(output, transform(context.norm(feedForwardNorm, output)));
  }
  return { hidden: output as tf.Tensor3D, keyValues: keyValues! };
}
