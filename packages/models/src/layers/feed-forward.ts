import { geluExact, geluTanh } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { FeedForwardKind } from '../models/transformer-spec';

/** The activation of a GELU feed-forward layer (SwiGLU's gate uses SiLU, see {@link feedForward}). */
export function feedForwardActivation(kind: FeedForwardKind): (x: tf.Tensor) => tf.Tensor {
  return kind === 'gelu-exact' ? geluExact : geluTanh;
}

/**
 * The feed-forward sub-layer of block `prefix` (e.g. `'layers.0.feedForward'`):
 * - GELU: $y = \mathrm{gelu}(x W_\mathrm{in} + b_\mathrm{in}) W_\mathrm{out} + b_\mathrm{out}$
 *   (linears `.intermediate` and `.output`);
 * - SwiGLU: $y = \big(\mathrm{silu}(x W_\mathrm{gate}) \odot x W_\mathrm{up}\big) W_\mathrm{down}$ with
 *   $\mathrm{silu}(z) = z\,\sigma(z)$ (linears `.gate`, `.intermediate` = up, `.output` = down).
 *
 * @param x float32 `[B, L, H]`.
 * @returns float32 `[B, L, H]`; the caller owns it.
 * @internal
 */
export function feedForward(
  prefix: string,
  x: tf.Tensor,
  kind: FeedForwardKind,
  linear: (name: string, x: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    if (kind === 'swiglu') {
      const gate = linear(`${prefix}.gate`, x);
      const up = linear(`${prefix}.intermediate`, x);
      return linear(`${prefix}.output`, tf.mul(tf.mul(gate, tf.sigmoid(gate)), up));
    }
    return linear(
      `${prefix}.output`,
      feedForwardActivation(kind)(linear(`${prefix}.intermediate`, x)),
    );
  });
}
