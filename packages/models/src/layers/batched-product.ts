import * as tf from '@tensorflow/tfjs-core';

/** Swaps the last two axes of a rank-4 tensor. */
function swapLastAxes(x: tf.Tensor): tf.Tensor4D {
  return tf.transpose(x, [0, 1, 3, 2]) as tf.Tensor4D;
}

/** Off-switch for the benchmark, which compares against plain autodiff of `tf.matMul`. */
let useAutodiff = false;

/** @internal For the benchmark only: route attention products through plain `tf.matMul` autodiff. */
export function setAutodiffAttentionProducts(enabled: boolean): void {
  useAutodiff = enabled;
}

const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const save = args[args.length - 1] as tf.GradSaveFunc;
  const [left, right] = args.slice(0, -1) as [tf.Tensor4D, tf.Tensor4D];
  save([left, right]);
  return {
    value: tf.matMul(left, right),
    gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedLeft, savedRight] = saved as [tf.Tensor4D, tf.Tensor4D];
      const gradient = upstream as tf.Tensor4D;
      return [
        tf.tidy(() => tf.matMul(gradient, swapLastAxes(savedRight))),
        tf.tidy(() => tf.matMul(swapLastAxes(savedLeft), gradient)),
      ];
    },
  };
});

/**
 * Batched product $C_{bh} = A_{bh} B_{bh}$ of `[B, heads, M, K]` by `[B, heads, K, N]`, whose
 * gradient $\partial A = G B^\top$, $\partial B = A^\top G$ makes its transposes explicit: on the
 * wasm backend a `matMul` with a transpose flag (what autodiff of `tf.matMul` produces) leaves the
 * fast kernel.
 *
 * @returns float32 `[B, heads, M, N]`; the caller owns it.
 */
export function batchedProduct(left: tf.Tensor4D, right: tf.Tensor4D): tf.Tensor4D {
  if (useAutodiff) return tf.matMul(left, right);
  return product(left, right) as tf.Tensor4D;
}
