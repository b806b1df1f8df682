import * as tf from '@tensorflow/tfjs-core';

const INVERSE_SQRT_TWO = Math.SQRT1_2;
const INVERSE_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * GELU with the exact Gaussian CDF, as Hugging Face's BERT (`hidden_act: "gelu"`) and PyTorch's
 * `F.gelu` compute it: $\mathrm{gelu}(x) = x\,\Phi(x) = \tfrac{1}{2}x\left(1 + \mathrm{erf}(x/\sqrt{2})\right)$.
 *
 * The wasm backend has no `Gelu` kernel, so the value is composed from `Erf`, and the gradient is
 * written out rather than left to autodiff through the composition:
 * $\mathrm{gelu}'(x) = \Phi(x) + x\,\varphi(x)$ with $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$.
 *
 * @returns float32 of `x`'s shape; the caller owns it.
 */
export function geluExact(x: tf.Tensor): tf.Tensor {
  return geluWithGradient(x);
}

const geluWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const cdf = tf.tidy(() => tf.mul(tf.add(tf.erf(tf.mul(x, INVERSE_SQRT_TWO)), 1), 0.5));
  return {
    value: tf.tidy(() => tf.mul(x, cdf)),
    gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const input = saved[0]!;
        const density = tf.mul(tf.exp(tf.mul(tf.square(input), -0.5)), INVERSE_SQRT_TWO_PI);
        const probability = tf.mul(tf.add(tf.erf(tf.mul(input, INVERSE_SQRT_TWO)), 1), 0.5);
        return tf.mul(upstream, tf.add(probability, tf.mul(input, density)));
      }),
  };
});
