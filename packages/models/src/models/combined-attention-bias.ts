import {
  causalAttentionBias,
  combineAttentionBiases,
  paddingAttentionBias,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonInputs } from './transformer-model';

/**
 * The additive attention bias of one forward pass: the causal mask $j \le i$ (decoders), the
 * padding mask and the caller's bias, combined by the element-wise minimum (a pair is allowed only
 * if every mask allows it), with $P$ zero columns in front for prefix keys, which every query sees.
 *
 * @returns float32 `[B|1, 1, L|1, P + L]`, or `null` when every pair may attend. Call inside a tidy.
 * @internal
 */
export function combinedAttentionBias(
  inputs: CommonInputs,
  causal: boolean,
  length: number,
  prefixLength: number,
): tf.Tensor | null {
  const parts: tf.Tensor[] = [];
  if (causal) parts.push(causalAttentionBias(length));
  if (inputs.attentionMask) parts.push(paddingAttentionBias(inputs.attentionMask));
  if (inputs.attentionBias) parts.push(inputs.attentionBias);
  if (parts.length === 0) return null;
  const bias = parts.length === 1 ? parts[0]! : combineAttentionBiases(...parts);
  if (prefixLength === 0) return bias;
  const [rows, , queries] = bias.shape as [number, number, number, number];
  return tf.concat([tf.zeros([rows, 1, queries, prefixLength]), bias], 3);
}
