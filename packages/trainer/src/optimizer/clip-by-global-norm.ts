import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** The result of {@link clipByGlobalNorm}. The caller owns every tensor. */
export interface ClippedGradients {
  /** The gradients scaled by $\min(1, c / (\lVert g \rVert + 10^{-6}))$; `null` stays `null`. */
  readonly gradients: (tf.Tensor | null)[];
  /** The global norm before clipping, $\lVert g \rVert = \sqrt{\sum_i \lVert g_i \rVert_2^2}$. */
  readonly norm: tf.Scalar;
}

/**
 * The global L2 norm of a list of gradients, $\sqrt{\sum_i \lVert g_i \rVert_2^2}$ (`null` entries
 * are skipped; no gradient at all gives 0). The caller owns the result.
 */
export function globalNorm(gradients: readonly (tf.Tensor | null)[]): tf.Scalar {
  return tf.tidy(() => {
    const present = gradients.filter((gradient): gradient is tf.Tensor => gradient != null);
    if (present.length === 0) return tf.scalar(0);
    // $\sqrt{\sum_i \sum g_i^2}$: the same value as PyTorch's norm of per-tensor norms, in fewer
    // kernels. (tf.norm is avoided: it calls the chained `Tensor.cast`, which tfjs-core alone does
    // not register.) The per-tensor sums are stacked and summed, not added with `tf.addN`: the
    // WebGPU backend compiles AddN into one shader with a storage buffer per input, and beyond the
    // device's limit (8 by default) the pipeline is invalid and the result silently wrong.
    const squares = present.map((gradient) =>
      tf.sum(tf.square(gradient.dtype === 'float32' ? gradient : tf.cast(gradient, 'float32'))),
    );
    return tf.sqrt(squares.length === 1 ? squares[0]! : tf.sum(tf.stack(squares))) as tf.Scalar;
  });
}

/**
 * Scales every gradient by $\min\!\big(1, \frac{c}{\lVert g \rVert + 10^{-6}}\big)$, where
 * $\lVert g \rVert$ is the global norm over all of them and $c$ is `maxNorm`: exactly PyTorch's
 * `torch.nn.utils.clip_grad_norm_`. Does not dispose its inputs.
 *
 * @param maxNorm $c > 0$; `Infinity` returns copies of the gradients unscaled (the norm is still computed).
 */
export function clipByGlobalNorm(
  gradients: readonly (tf.Tensor | null)[],
  maxNorm: number,
): ClippedGradients {
  if (!(maxNorm > 0)) {
    throw new InvalidArgumentError({
      functionName: 'clipByGlobalNorm',
      argumentName: 'maxNorm',
      expected: 'a number > 0 (Infinity to only measure)',
      received: maxNorm,
      fix: 'pass e.g. 1.0 (the usual choice for language models).',
    });
  }
  const norm = globalNorm(gradients);
  const scale = tf.tidy(() =>
    Number.isFinite(maxNorm) ? tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1) : tf.scalar(1),
  );
  const clipped = gradients.map((gradient) => (gradient == null ? null : tf.mul(gradient, scale)));
  scale.dispose();
  return { gradients: clipped, norm };
}
