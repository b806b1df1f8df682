import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { checkTensor } from '../validation/check-tensor';
import { formatShape } from '../validation/format-shape';

/**
 * `[M, K] · [K, N]` through an explicit transpose of whichever operand needs it: on the wasm
 * backend `tf.matMul` with a transpose flag falls off the fast kernel and runs 10–20× slower
 * than transposing first.
 */
function product(
  left: tf.Tensor2D,
  right: tf.Tensor2D,
  transposeLeft: boolean,
  transposeRight: boolean,
): tf.Tensor2D {
  return tf.tidy(() =>
    tf.matMul(
      transposeLeft ? tf.transpose(left) : left,
      transposeRight ? tf.transpose(right) : right,
    ),
  );
}

/**
 * A dense layer: $y = x W + b$, for `x` `[..., in]`, `kernel` `[in, out]` and an optional
 * `bias` `[out]`.
 *
 * Its gradient is hand-written so that every product runs untransposed:
 * $\partial x = g\,(W^\top)$, $\partial W = (x^\top)\,g$, $\partial b = \sum g$, with the transposes
 * made explicit. Autodiff of `tf.matMul` produces transposed-flag products, 10–20× slower on wasm.
 *
 * @returns float32 `[..., out]`; the caller owns it.
 * @throws {ShapeMismatchError} when `kernel` is not `[in, out]` for `x`'s last axis, or `bias` not `[out]`.
 */
export function linear(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const functionName = 'linear';
  checkTensor({ functionName, argumentName: 'x' }, x, { dtypes: ['float32'] });
  checkTensor({ functionName, argumentName: 'kernel' }, kernel, {
    dtypes: ['float32'],
    ranks: [2],
  });
  if (x.rank < 1) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'x',
      expected: 'a float32 tensor of rank ≥ 1 whose last axis is the input size',
      received: x,
      fix: 'pass inputs shaped [..., in], e.g. [batch, in] or [batch, length, in].',
    });
  }
  const inputSize = x.shape[x.rank - 1];
  const [kernelInputs, outputSize] = kernel.shape as [number, number];
  if (inputSize !== kernelInputs) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'kernel',
      expected: `a kernel of shape [${inputSize ?? '?'}, out] (its first axis must equal x's last axis; x is ${formatShape(x.shape)})`,
      received: kernel,
      fix: 'store kernels as [in, out] (the tf.layers layout); transpose a [out, in] matrix first.',
    });
  }
  if (bias !== undefined) {
    checkTensor({ functionName, argumentName: 'bias' }, bias, { dtypes: ['float32'], ranks: [1] });
    if (bias.shape[0] !== outputSize) {
      throw new ShapeMismatchError({
        functionName,
        argumentName: 'bias',
        expected: `a bias of shape [${outputSize}] (the kernel's output size)`,
        received: bias,
        fix: 'give one bias per output unit.',
      });
    }
  }
  const leadingShape = x.shape.slice(0, -1);
  const rows = x.size / Math.max(inputSize, 1);
  const dense = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [input, weights, offsets] = args.slice(0, -1) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D | undefined,
    ];
    save([input, weights]);
    const value = offsets ? tf.add(tf.matMul(input, weights), offsets) : tf.matMul(input, weights);
    return {
      value,
      gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedWeights] = saved as [tf.Tensor2D, tf.Tensor2D];
        const gradient = upstream as tf.Tensor2D;
        const gradients = [
          product(gradient, savedWeights, false, true),
          product(savedInput, gradient, true, false),
        ];
        if (offsets) gradients.push(tf.sum(gradient, 0));
        return gradients;
      },
    };
  });
  return tf.tidy(() => {
    const input = tf.reshape(x, [rows, inputSize]) as tf.Tensor2D;
    const output = bias ? dense(input, kernel, bias) : dense(input, kernel);
    return tf.reshape(output, [...leadingShape, outputSize]);
  });
}
