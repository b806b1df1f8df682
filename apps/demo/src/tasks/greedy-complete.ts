import type { CausalDecoder, LayerKeyValues } from '@lm-objectives/models';
import * as tf from '@tensorflow/tfjs-core';
import { greedyArgmax } from './greedy-argmax';

/** Options of {@link greedyComplete}. */
export interface GreedyCompleteOptions {
  /** Most tokens to generate. */
  readonly maxTokens: number;
  /** Stop after generating this id (it is not returned). */
  readonly stopId: number;
  /** The longest sequence the model accepts (its position table); the prompt is cut from the left to fit. */
  readonly maxLength: number;
  /** Extra per-layer keys/values every query sees (prefix tuning), made inside each step's scope. */
  readonly prefixKeyValues?: () => readonly LayerKeyValues[];
}

/**
 * Greedy decoding with a causal decoder: appends the arg-max token until `stopId` or `maxTokens`.
 * Recomputes the whole sequence each step (sequences here are a few dozen tokens).
 */
export function greedyComplete(
  model: CausalDecoder,
  prompt: ArrayLike<number>,
  options: GreedyCompleteOptions,
): number[] {
  const generated: number[] = [];
  while (generated.length < options.maxTokens) {
    const sequence = [...Array.from(prompt), ...generated].slice(-options.maxLength);
    const next = tf.tidy(() =>
      greedyArgmax(
        model.apply({
          inputIds: tf.tensor2d(sequence, [1, sequence.length], 'int32'),
          ...(options.prefixKeyValues ? { prefixKeyValues: options.prefixKeyValues() } : {}),
        }),
      ),
    );
    if (next === options.stopId) break;
    generated.push(next);
  }
  return generated;
}
