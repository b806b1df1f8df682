import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { createRng } from '../random/create-rng';
import { linear } from './linear';

/** float32 samples of N(0, 1), so that the float64 reference sees exactly the tensors' values. */
function normalValues(seed: number, count: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** `[m, k] · [k, n]` in float64, row-major. */
function matMul64(
  left: ArrayLike<number>,
  right: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let row = 0; row < m; row++) {
    for (let column = 0; column < n; column++) {
      let total = 0;
      for (let inner = 0; inner < k; inner++) {
        total += (left[row * k + inner] as number) * (right[inner * n + column] as number);
      }
      out[row * n + column] = total;
    }
  }
  return out;
}

/** The transpose of a row-major `[rows, columns]` matrix. */
function transpose64(values: ArrayLike<number>, rows: number, columns: number): Float64Array {
  const out = new Float64Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      out[column * rows + row] = values[row * columns + column] as number;
    }
  }
  return out;
}

/** `x W (+ b)` in float64 for `x` `[rows, in]`. */
function linear64(
  x: ArrayLike<number>,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  rows: number,
  inputSize: number,
  outputSize: number,
): Float64Array {
  const out = matMul64(x, kernel, rows, inputSize, outputSize);
  if (bias) {
    for (let index = 0; index < out.length; index++) {
      out[index]! += bias[index % outputSize] as number;
    }
  }
  return out;
}

/** The error `call` throws (failing the test if it does not throw). */
function errorThrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

interface Case {
  /** x's shape; its last axis is the input size. */
  xShape: number[];
  outputSize: number;
  withBias: boolean;
}

const CASES: Case[] = [
  { xShape: [3, 4], outputSize: 5, withBias: true },
  { xShape: [3, 4], outputSize: 5, withBias: false },
  { xShape: [2, 3, 4], outputSize: 5, withBias: true },
  { xShape: [2, 3, 4], outputSize: 5, withBias: false },
];

function describeCase({ xShape, withBias }: Case): string {
  return `rank-${xShape.length} x ${withBias ? 'with' : 'without'} bias`;
}

/** Random tensors for one case (the caller disposes them). */
function caseTensors({ xShape, outputSize, withBias }: Case, seed: number) {
  const inputSize = xShape[xShape.length - 1]!;
  const rows = xShape.slice(0, -1).reduce((product, size) => product * size, 1);
  const x = tf.tensor(normalValues(seed, rows * inputSize), xShape);
  const kernel = tf.tensor2d(normalValues(seed + 1, inputSize * outputSize), [
    inputSize,
    outputSize,
  ]);
  const bias = withBias ? tf.tensor1d(normalValues(seed + 2, outputSize)) : undefined;
  const cotangent = tf.tensor(normalValues(seed + 3, rows * outputSize), [
    ...xShape.slice(0, -1),
    outputSize,
  ]);
  return { x, kernel, bias, cotangent, rows, inputSize };
}

describeEachBackend('linear', () => {
  for (const testCase of CASES) {
    it(`equals a float64 x·W + b for ${describeCase(testCase)}`, () => {
      const { x, kernel, bias, cotangent, rows, inputSize } = caseTensors(testCase, 10);
      const y = linear(x, kernel, bias);
      expect(y.shape).toEqual([...testCase.xShape.slice(0, -1), testCase.outputSize]);
      expect(y.dtype).toBe('float32');
      const expected = linear64(
        x.dataSync(),
        kernel.dataSync(),
        bias?.dataSync(),
        rows,
        inputSize,
        testCase.outputSize,
      );
      // float32 products over 4 terms of size ~1: rounding error ~1e-7 of the largest value.
      expectRelativelyClose(y.dataSync(), expected, 1e-6, 'y');
      tf.dispose([x, kernel, cotangent, y]);
      if (bias) bias.dispose();
    });

    it(`has gradients equal to the float64 closed forms and to tfjs autodiff for ${describeCase(testCase)}`, () => {
      const { x, kernel, bias, cotangent, rows, inputSize } = caseTensors(testCase, 20);
      const outputSize = testCase.outputSize;
      const inputs = bias ? [x, kernel, bias] : [x, kernel];
      // Projecting onto a random cotangent G makes every output element matter: dL/dy = G.
      const objective = (...args: tf.Tensor[]) =>
        tf.sum(tf.mul(linear(args[0]!, args[1]!, args[2]), cotangent));
      const reference = (...args: tf.Tensor[]) => {
        const flat = tf.reshape(args[0]!, [rows, inputSize]);
        const product = tf.matMul(flat, args[1]!);
        const y = args[2] ? tf.add(product, args[2]) : product;
        return tf.sum(tf.mul(tf.reshape(y, cotangent.shape), cotangent));
      };
      const analytic = tf.grads(objective)(inputs);
      const autodiff = tf.grads(reference)(inputs);

      const g = cotangent.dataSync();
      // dL/dx = G Wᵀ, dL/dW = xᵀ G, dL/db = Σ_rows G.
      const expectedX = matMul64(
        g,
        transpose64(kernel.dataSync(), inputSize, outputSize),
        rows,
        outputSize,
        inputSize,
      );
      const expectedKernel = matMul64(
        transpose64(x.dataSync(), rows, inputSize),
        g,
        inputSize,
        rows,
        outputSize,
      );
      const expectedBias = new Float64Array(outputSize);
      for (let index = 0; index < g.length; index++) expectedBias[index % outputSize]! += g[index]!;

      expect(analytic[0]!.shape).toEqual(x.shape);
      expect(analytic[1]!.shape).toEqual(kernel.shape);
      expectRelativelyClose(analytic[0]!.dataSync(), expectedX, 1e-5, 'dx vs closed form');
      expectRelativelyClose(analytic[1]!.dataSync(), expectedKernel, 1e-5, 'dW vs closed form');
      expectRelativelyClose(
        analytic[0]!.dataSync(),
        autodiff[0]!.dataSync(),
        1e-5,
        'dx vs autodiff',
      );
      expectRelativelyClose(
        analytic[1]!.dataSync(),
        autodiff[1]!.dataSync(),
        1e-5,
        'dW vs autodiff',
      );
      if (bias) {
        expect(analytic.length).toBe(3);
        expect(analytic[2]!.shape).toEqual([outputSize]);
        expectRelativelyClose(analytic[2]!.dataSync(), expectedBias, 1e-5, 'db vs closed form');
        expectRelativelyClose(
          analytic[2]!.dataSync(),
          autodiff[2]!.dataSync(),
          1e-5,
          'db vs autodiff',
        );
      } else {
        expect(analytic.length).toBe(2);
      }
      tf.dispose([x, kernel, cotangent, ...analytic, ...autodiff]);
      if (bias) bias.dispose();
    });
  }

  it('maps a rank-1 x [in] to [out]', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const kernel = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, -1],
    ]);
    const bias = tf.tensor1d([0.5, -0.5]);
    const y = linear(x, kernel, bias);
    expect(y.shape).toEqual([2]);
    // [1+3, 2-3] + [0.5, -0.5]
    expect(Array.from(y.dataSync())).toEqual([4.5, -1.5]);
    tf.dispose([x, kernel, bias, y]);
  });

  it('works under tf.grad with respect to x alone, and inside tf.tidy', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const kernel = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const gradient = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(linear(input, kernel)))(x));
    // d/dx Σ xW = 1 Wᵀ: every row is the row sums of W, [6, 15].
    expect(Array.from(gradient.dataSync())).toEqual([6, 15, 6, 15]);
    tf.dispose([x, kernel, gradient]);
  });

  it('runs every product of the forward and backward passes without a transpose flag', async () => {
    // Non-square shapes, so that a transposed-flag product would show as inner sizes that differ.
    const x = tf.tensor2d(normalValues(30, 3 * 4), [3, 4]);
    const kernel = tf.tensor2d(normalValues(31, 4 * 5), [4, 5]);
    const bias = tf.tensor1d(normalValues(32, 5));
    const profile = await tf.profile(() => {
      const gradients = tf.grads((...args: tf.Tensor[]) =>
        tf.sum(linear(args[0]!, args[1]!, args[2])),
      )([x, kernel, bias]);
      tf.dispose(gradients);
    });
    const products = profile.kernels.filter((kernelInfo) => /MatMul/.test(kernelInfo.name));
    expect(products.length).toBe(3);
    for (const { inputShapes } of products) {
      const [left, right] = inputShapes as [number[], number[]];
      expect(left[left.length - 1], `inner sizes of ${JSON.stringify(inputShapes)}`).toBe(
        right[right.length - 2],
      );
    }
    tf.dispose([x, kernel, bias]);
  });

  it("rejects a kernel whose input size is not x's last axis, naming the [in, out] layout", () => {
    const x = tf.zeros([2, 3]);
    const kernel = tf.zeros([5, 3]);
    const error = errorThrownBy(() => linear(x, kernel));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^linear: argument 'kernel' has the wrong shape/);
    expect(error.message).toMatch(/a kernel of shape \[3, out\]/);
    expect(error.message).toMatch(/x is \[2, 3\]/);
    expect(error.message).toMatch(/received a float32 tensor of shape \[5, 3\]/);
    expect(error.message).toMatch(/\[in, out\]/);
    tf.dispose([x, kernel]);
  });

  it('rejects a rank-1 kernel', () => {
    const x = tf.zeros([2, 3]);
    const kernel = tf.zeros([3]);
    const error = errorThrownBy(() => linear(x, kernel));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'kernel' has the wrong shape.*rank 2/);
    tf.dispose([x, kernel]);
  });

  it('rejects a bias whose length is not the output size', () => {
    const x = tf.zeros([2, 3]);
    const kernel = tf.zeros([3, 5]);
    const bias = tf.zeros([4]);
    const error = errorThrownBy(() => linear(x, kernel, bias));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'bias' has the wrong shape.*a bias of shape \[5\]/);
    expect(error.message).toMatch(/received a float32 tensor of shape \[4\]/);
    tf.dispose([x, kernel, bias]);
  });

  it('rejects an int32 x', () => {
    const x = tf.zeros([2, 3], 'int32');
    const kernel = tf.zeros([3, 5]);
    const error = errorThrownBy(() => linear(x, kernel));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(ShapeMismatchError.isInstance(error)).toBe(false);
    expect(error.message).toMatch(/^linear: argument 'x' is invalid.*float32.*received an int32/);
    tf.dispose([x, kernel]);
  });
});
