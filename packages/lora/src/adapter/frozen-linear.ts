import * as tf from '@tensorflow/tfjs-core';

/**
 * $y = x W + b$ for a **frozen** `kernel` `[in, out]` and `bias` `[out]`: the weights are closed
 * over rather than passed as inputs, so the backward pass computes only $\partial x = g\,W^\top$
 * (with an explicit transpose, which stays on wasm's fast path) and never the weight gradient
 * $x^\top g$ that nothing would use.
 *
 * @param x float32 `[rows, in]`.
 */
export function frozenLinear(x: tf.Tensor2D, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  const dense = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor2D;
    const product = tf.matMul(input, kernel);
    const value = bias ? tf.add(product, bias) : product;
    return {
      value,
      gradFunc: (upstream: tf.Tensor) =>
        tf.tidy(() => tf.matMul(upstream as tf.Tensor2D, tf.transpose(kernel))),
    };
  });
  return dense(x) as tf.Tensor2D;
}
