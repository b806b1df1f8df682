import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { decodeArray, type EncodedArray, readGolden } from '../../test/golden';
import type { ProjectionLayout } from '../contract/v1/model-outputs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { crossEntropy } from './cross-entropy';
import type { TokenLossOptions } from './internal/token-loss-options';
import {
  DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
  type LinearCrossEntropyOptions,
  linearCrossEntropy,
} from './linear-cross-entropy';
import { tokenCrossEntropy } from './token-cross-entropy';

interface GoldenCase {
  name: string;
  hidden: EncodedArray;
  weight: EncodedArray;
  weightLayout: ProjectionLayout;
  bias?: EncodedArray;
  labels: EncodedArray;
  weights?: EncodedArray;
  options: Omit<TokenLossOptions, 'weights'>;
  cotangent?: EncodedArray;
  expected: {
    loss: number | EncodedArray;
    sum: number;
    count: number;
    gradHidden: EncodedArray;
    gradWeight: EncodedArray;
    gradBias?: EncodedArray;
  };
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/linear-cross-entropy.golden.json', import.meta.url),
);

/** Forward values: relative error (PyTorch float64 reference, float32 computation). */
const FORWARD_TOLERANCE = 1e-5;
/** Gradients: error relative to the largest expected entry of the whole gradient tensor. */
const GRADIENT_TOLERANCE = 1e-4;

function expectScalarClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(
    FORWARD_TOLERANCE * Math.max(Math.abs(expected), 1e-6),
  );
}

function tensorOf(encoded: EncodedArray, dtype: 'float32' | 'int32'): tf.Tensor {
  const values = decodeArray(encoded);
  return tf.tensor(dtype === 'float32' ? Float32Array.from(values) : values, encoded.shape, dtype);
}

function goldenInputs(testCase: GoldenCase) {
  const hidden = tensorOf(testCase.hidden, 'float32');
  const weight = tensorOf(testCase.weight, 'float32');
  const bias = testCase.bias ? tensorOf(testCase.bias, 'float32') : undefined;
  const labels = tensorOf(testCase.labels, 'int32');
  const weights = testCase.weights ? tensorOf(testCase.weights, 'float32') : undefined;
  const cotangent = testCase.cotangent ? tensorOf(testCase.cotangent, 'float32') : undefined;
  const options: LinearCrossEntropyOptions = {
    ...testCase.options,
    weightLayout: testCase.weightLayout,
    ...(weights ? { weights } : {}),
  };
  return { hidden, weight, bias, labels, weights, cotangent, options };
}

function disposeLoss(result: { loss: tf.Tensor; sum: tf.Tensor; count: tf.Tensor }): void {
  tf.dispose([result.loss, result.sum, result.count]);
}

/** The scalar that a test differentiates: the loss, or Σ cotangent · loss for `reduction: 'none'`. */
function objective(loss: tf.Tensor, cotangent: tf.Tensor | undefined): tf.Scalar {
  return (cotangent ? tf.sum(tf.mul(loss, cotangent)) : loss) as tf.Scalar;
}

describeEachBackend('linearCrossEntropy against float64 PyTorch golden values', () => {
  for (const testCase of golden.cases) {
    for (const chunkSize of [undefined, 3]) {
      const label = chunkSize === undefined ? 'default chunk size' : `chunkSize ${chunkSize}`;

      it(`matches the forward values (${label}): ${testCase.name}`, () => {
        const inputs = goldenInputs(testCase);
        const result = linearCrossEntropy(inputs.hidden, inputs.weight, inputs.labels, {
          ...inputs.options,
          ...(inputs.bias ? { bias: inputs.bias } : {}),
          ...(chunkSize ? { chunkSize } : {}),
        });
        expectScalarClose(result.sum.dataSync()[0]!, testCase.expected.sum, 'sum');
        expectScalarClose(result.count.dataSync()[0]!, testCase.expected.count, 'count');
        if (typeof testCase.expected.loss === 'number') {
          expect(result.loss.shape).toEqual([]);
          expectScalarClose(result.loss.dataSync()[0]!, testCase.expected.loss, 'loss');
        } else {
          expect(result.loss.shape).toEqual(testCase.expected.loss.shape);
          expectRelativelyClose(
            result.loss.dataSync(),
            decodeArray(testCase.expected.loss),
            FORWARD_TOLERANCE,
            'per-position loss',
          );
        }
        disposeLoss(result);
        tf.dispose(Object.values(inputs).filter((value) => value instanceof tf.Tensor));
      });

      it(`matches the gradients w.r.t. hidden, weight and bias (${label}): ${testCase.name}`, () => {
        const inputs = goldenInputs(testCase);
        const differentiated = [
          inputs.hidden,
          inputs.weight,
          ...(inputs.bias ? [inputs.bias] : []),
        ];
        const gradients = tf.grads((...args: tf.Tensor[]) => {
          const [hidden, weight, bias] = args as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
          const { loss } = linearCrossEntropy(hidden, weight, inputs.labels, {
            ...inputs.options,
            ...(bias ? { bias } : {}),
            ...(chunkSize ? { chunkSize } : {}),
          });
          return objective(loss, inputs.cotangent);
        })(differentiated);
        const expected = [
          testCase.expected.gradHidden,
          testCase.expected.gradWeight,
          ...(testCase.expected.gradBias ? [testCase.expected.gradBias] : []),
        ];
        expect(gradients.length).toBe(expected.length);
        gradients.forEach((gradient, index) => {
          const what = ['hidden', 'weight', 'bias'][index]!;
          expect(gradient.shape, `${what} gradient shape`).toEqual(expected[index]!.shape);
          const values = gradient.dataSync();
          expect(values.every(Number.isFinite), `${what} gradient is finite`).toBe(true);
          expectRelativelyClose(
            values,
            decodeArray(expected[index]!),
            GRADIENT_TOLERANCE,
            `${what} gradient`,
          );
        });
        tf.dispose(gradients);
        tf.dispose(Object.values(inputs).filter((value) => value instanceof tf.Tensor));
      });
    }
  }
});

/** Deterministic values in [-amplitude, amplitude]. */
function wave(count: number, phase: number, amplitude = 1): Float32Array {
  return Float32Array.from(
    { length: count },
    (_, index) => amplitude * Math.sin(index * 0.731 + phase * 1.37),
  );
}

interface Problem {
  hidden: tf.Tensor;
  /** `[H, V]` or `[V, H]` as `layout` says. */
  weight: tf.Tensor;
  bias?: tf.Tensor1D;
  labels: tf.Tensor;
  layout: ProjectionLayout;
}

function makeProblem(
  leadingShape: number[],
  hiddenSize: number,
  vocabularySize: number,
  layout: ProjectionLayout,
  withBias: boolean,
): Problem {
  const positions = leadingShape.reduce((product, size) => product * size, 1);
  const hidden = tf.tensor(wave(positions * hiddenSize, 1, 1.5), [...leadingShape, hiddenSize]);
  const weightShape =
    layout === 'hidden-by-vocab' ? [hiddenSize, vocabularySize] : [vocabularySize, hiddenSize];
  const weight = tf.tensor(wave(hiddenSize * vocabularySize, 2, 0.8), weightShape);
  const bias = withBias ? tf.tensor1d(wave(vocabularySize, 3, 0.5)) : undefined;
  const labelValues = Int32Array.from({ length: positions }, (_, index) =>
    index % 5 === 2 ? -100 : (index * 7 + 3) % vocabularySize,
  );
  const labels = tf.tensor(labelValues, leadingShape, 'int32');
  return { hidden, weight, ...(bias ? { bias } : {}), labels, layout };
}

function disposeProblem(problem: Problem): void {
  tf.dispose([
    problem.hidden,
    problem.weight,
    problem.labels,
    ...(problem.bias ? [problem.bias] : []),
  ]);
}

/** The unfused reference: full logits `hidden · W (+ b)` through `crossEntropy`, autodiff for the product. */
function referenceLoss(
  problem: Problem,
  hidden: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | undefined,
  options: TokenLossOptions,
) {
  const hiddenSize = hidden.shape[hidden.rank - 1]!;
  const matrix = problem.layout === 'hidden-by-vocab' ? weight : tf.transpose(weight);
  const flat = tf.matMul(tf.reshape(hidden, [-1, hiddenSize]), matrix);
  const logits = bias ? tf.add(flat, bias) : flat;
  return crossEntropy(
    tf.reshape(logits, [...hidden.shape.slice(0, -1), logits.shape[1]!]),
    problem.labels,
    options,
  );
}

/**
 * Asserts that `linearCrossEntropy` with `options` gives the reference's loss, sum, count and
 * gradients (w.r.t. hidden, weight and bias), differentiating Σ cotangent · loss for `'none'`.
 */
function expectMatchesReference(problem: Problem, options: LinearCrossEntropyOptions): void {
  const { weightLayout: _layout, chunkSize: _chunk, bias: _bias, ...tokenOptions } = options;
  const cotangent =
    options.reduction === 'none'
      ? tf.tensor(wave(problem.labels.size, 4), problem.labels.shape)
      : undefined;
  const inputs = [problem.hidden, problem.weight, ...(problem.bias ? [problem.bias] : [])];
  const fusedOptions = (bias: tf.Tensor | undefined): LinearCrossEntropyOptions => ({
    ...options,
    weightLayout: problem.layout,
    ...(bias ? { bias } : {}),
  });
  const fused = linearCrossEntropy(
    problem.hidden,
    problem.weight,
    problem.labels,
    fusedOptions(problem.bias),
  );
  const reference = tf.tidy(() => {
    const { loss, sum, count } = referenceLoss(
      problem,
      problem.hidden,
      problem.weight,
      problem.bias,
      tokenOptions,
    );
    return { loss, sum, count };
  });
  expect(fused.loss.shape).toEqual(reference.loss.shape);
  expectRelativelyClose(
    fused.loss.dataSync(),
    reference.loss.dataSync(),
    FORWARD_TOLERANCE,
    'loss',
  );
  expectRelativelyClose(fused.sum.dataSync(), reference.sum.dataSync(), FORWARD_TOLERANCE, 'sum');
  expect(fused.count.dataSync()[0]).toBe(reference.count.dataSync()[0]);
  const fusedGradients = tf.grads((...args: tf.Tensor[]) =>
    objective(
      linearCrossEntropy(args[0]!, args[1]!, problem.labels, fusedOptions(args[2])).loss,
      cotangent,
    ),
  )(inputs);
  const referenceGradients = tf.grads((...args: tf.Tensor[]) =>
    objective(referenceLoss(problem, args[0]!, args[1]!, args[2], tokenOptions).loss, cotangent),
  )(inputs);
  fusedGradients.forEach((gradient, index) => {
    const what = ['hidden', 'weight', 'bias'][index]!;
    expect(gradient.shape, what).toEqual(inputs[index]!.shape);
    expectRelativelyClose(
      gradient.dataSync(),
      referenceGradients[index]!.dataSync(),
      GRADIENT_TOLERANCE,
      `${what} gradient`,
    );
  });
  tf.dispose([...fusedGradients, ...referenceGradients, ...(cotangent ? [cotangent] : [])]);
  disposeLoss(fused);
  disposeLoss(reference);
}

describeEachBackend('linearCrossEntropy equals crossEntropy(hidden · W + b)', () => {
  const positions = 13;
  for (const layout of ['hidden-by-vocab', 'vocab-by-hidden'] as const) {
    for (const withBias of [true, false]) {
      it(`for chunk sizes 1, 2, 5 (not dividing N = ${positions}), ${positions} and 64: ${layout}${withBias ? ' with bias' : ''}`, () => {
        const problem = makeProblem([positions], 6, 11, layout, withBias);
        for (const chunkSize of [1, 2, 5, positions, 64])
          expectMatchesReference(problem, { chunkSize });
        disposeProblem(problem);
      });
    }
  }

  it('with shift on [B, L, H] where chunk boundaries fall inside the sequences', () => {
    for (const layout of ['hidden-by-vocab', 'vocab-by-hidden'] as const) {
      const problem = makeProblem([3, 5], 4, 9, layout, true);
      for (const chunkSize of [2, 4, 7])
        expectMatchesReference(problem, { shift: true, chunkSize });
      disposeProblem(problem);
    }
  });

  it("for the reductions 'none' (any cotangent), 'sum' and 'mean'", () => {
    const problem = makeProblem([2, 6], 5, 10, 'hidden-by-vocab', true);
    for (const reduction of ['none', 'sum', 'mean'] as const) {
      for (const chunkSize of [4, 5]) expectMatchesReference(problem, { reduction, chunkSize });
    }
    disposeProblem(problem);
  });

  it('with numItemsInBatch, label smoothing, z-loss and per-position weights', () => {
    const problem = makeProblem([11], 5, 8, 'vocab-by-hidden', true);
    const weights = tf.tensor1d(wave(11, 5, 1).map(Math.abs));
    expectMatchesReference(problem, { numItemsInBatch: 40, chunkSize: 3 });
    expectMatchesReference(problem, { labelSmoothing: 0.1, zLoss: 1e-3, weights, chunkSize: 4 });
    expectMatchesReference(problem, {
      reduction: 'none',
      labelSmoothing: 0.2,
      zLoss: 1e-2,
      weights,
      chunkSize: 3,
    });
    weights.dispose();
    disposeProblem(problem);
  });

  it('with the default chunk size on more positions than one chunk', () => {
    const problem = makeProblem(
      [DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE + 37],
      3,
      7,
      'hidden-by-vocab',
      true,
    );
    expectMatchesReference(problem, {});
    disposeProblem(problem);
  });
});

describeEachBackend('linearCrossEntropy behaviour', (backend) => {
  it('gives a loss of 0 and zero gradients when every label is ignored (or numItemsInBatch is 0)', () => {
    const problem = makeProblem([4], 3, 5, 'hidden-by-vocab', true);
    const ignored = tf.fill([4], -100, 'int32');
    for (const options of [
      {},
      { numItemsInBatch: 0 },
      { reduction: 'sum' as const },
      { chunkSize: 1 },
    ]) {
      const labels = 'numItemsInBatch' in options ? problem.labels : ignored;
      const { value, grads } = tf.valueAndGrads(
        (...args: tf.Tensor[]) =>
          linearCrossEntropy(args[0]!, args[1]!, labels, { ...options, bias: args[2]! }).loss,
      )([problem.hidden, problem.weight, problem.bias!]);
      expect(value.dataSync()[0]).toBe(0);
      for (const gradient of grads)
        expect(gradient.dataSync().every((entry) => entry === 0)).toBe(true);
      tf.dispose([value, ...grads]);
    }
    ignored.dispose();
    disposeProblem(problem);
  });

  it('stays finite for hidden states that make logits of ±1e4', () => {
    const hidden = tf.tensor2d([
      [100, -100],
      [-100, 100],
    ]);
    const weight = tf.tensor2d([
      [100, -100, 0],
      [-100, 100, 0],
    ]);
    const { loss, sum, count } = linearCrossEntropy(hidden, weight, [1, 2], { reduction: 'none' });
    expect(loss.dataSync()[0]).toBeCloseTo(4e4, -1);
    const gradients = tf.grads(
      (h: tf.Tensor, w: tf.Tensor) => linearCrossEntropy(h, w, [1, 2]).loss,
    )([hidden, weight]);
    for (const gradient of gradients) expect(gradient.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose([hidden, weight, loss, sum, count, ...gradients]);
  });

  it('frees everything it allocates: forward alone, forward + backward, and a taped forward never differentiated', () => {
    const problem = makeProblem([2, 5], 4, 6, 'vocab-by-hidden', true);
    const before = tf.memory().numTensors;
    const forward = linearCrossEntropy(problem.hidden, problem.weight, problem.labels, {
      weightLayout: 'vocab-by-hidden',
      bias: problem.bias!,
      chunkSize: 3,
    });
    expect(tf.memory().numTensors).toBe(before + 3);
    disposeLoss(forward);
    expect(tf.memory().numTensors).toBe(before);
    for (const reduction of ['mean', 'none'] as const) {
      const gradients = tf.grads((h: tf.Tensor, w: tf.Tensor) =>
        tf.sum(
          linearCrossEntropy(h, w, problem.labels, {
            weightLayout: 'vocab-by-hidden',
            reduction,
            chunkSize: 3,
          }).loss,
        ),
      )([problem.hidden, problem.weight]);
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose(gradients);
      expect(tf.memory().numTensors).toBe(before);
    }
    // Recorded on the tape (so the gradient pieces are computed and saved) but not on the path to y.
    const unrelated = tf.grad((x: tf.Tensor) => {
      linearCrossEntropy(problem.hidden, problem.weight, problem.labels, {
        weightLayout: 'vocab-by-hidden',
      });
      return tf.sum(tf.square(x));
    })(problem.bias!);
    unrelated.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeProblem(problem);
  });

  it('computes the gradient pieces in the forward pass only while a tape records (three products per chunk, one otherwise)', () => {
    const problem = makeProblem([10], 4, 6, 'hidden-by-vocab', false);
    const countProducts = async (run: () => tf.TensorContainer) => {
      const saved = tf.memory().numTensors;
      const info = await tf.profile(run);
      tf.dispose(info.result);
      expect(tf.memory().numTensors).toBe(saved);
      return info.kernels.filter(
        (kernel) => kernel.name === 'BatchMatMul' || kernel.name === '_FusedMatMul',
      ).length;
    };
    return (async () => {
      const forwardOnly = await countProducts(() => {
        const { loss, sum, count } = linearCrossEntropy(
          problem.hidden,
          problem.weight,
          problem.labels,
          { chunkSize: 5 },
        );
        return [loss, sum, count];
      });
      // 2 chunks: one logits product each.
      expect(forwardOnly).toBe(2);
      const withGradient = await countProducts(() =>
        tf.grads(
          (h: tf.Tensor, w: tf.Tensor) =>
            linearCrossEntropy(h, w, problem.labels, { chunkSize: 5 }).loss,
        )([problem.hidden, problem.weight]),
      );
      // 2 chunks × (logits, hidden gradient, weight gradient); the backward pass adds none.
      expect(withGradient).toBe(6);
      disposeProblem(problem);
    })();
  });

  it('never holds more than one chunk of logits: peak memory stays far below one [N, V] tensor', async () => {
    const positions = 1024;
    const vocabularySize = 2000;
    const problem = makeProblem([positions], 8, vocabularySize, 'hidden-by-vocab', true);
    const logitBytes = positions * vocabularySize * 4;
    const start = tf.memory().numBytes;
    const profile = await tf.profile(() =>
      tf.grads(
        (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          linearCrossEntropy(h, w, problem.labels, { bias: b, chunkSize: 16 }).loss,
      )([problem.hidden, problem.weight, problem.bias!]),
    );
    // One chunk is 1/64 of the logits: a handful of chunk-sized temporaries plus the [H, V] gradients.
    expect(profile.peakBytes - start).toBeLessThan(logitBytes / 8);
    tf.dispose(profile.result as tf.Tensor[]);
    disposeProblem(problem);
  });

  it('works under tf.grad, tf.variableGrads and optimizer.minimize, and trains', () => {
    const problem = makeProblem([12], 6, 10, 'vocab-by-hidden', true);
    const single = tf.grad(
      (h: tf.Tensor) =>
        linearCrossEntropy(h, problem.weight, problem.labels, { weightLayout: 'vocab-by-hidden' })
          .loss,
    )(problem.hidden);
    expect(single.shape).toEqual([12, 6]);
    single.dispose();
    const table = tf.variable(problem.weight, true, `lce-table-${backend}`);
    const zeros = tf.zeros([10]);
    const bias = tf.variable(zeros, true, `lce-bias-${backend}`);
    zeros.dispose();
    const { value, grads } = tf.variableGrads(
      () =>
        linearCrossEntropy(problem.hidden, table, problem.labels, {
          weightLayout: 'vocab-by-hidden',
          bias,
        }).loss,
      [table, bias],
    );
    expect(grads[table.name]!.shape).toEqual([10, 6]);
    expect(grads[bias.name]!.shape).toEqual([10]);
    tf.dispose([value, ...Object.values(grads)]);
    const optimizer = tf.train.adam(0.05);
    const lossNow = () => {
      const result = linearCrossEntropy(problem.hidden, table, problem.labels, {
        weightLayout: 'vocab-by-hidden',
        bias,
      });
      const loss = result.loss.dataSync()[0]!;
      disposeLoss(result);
      return loss;
    };
    const before = lossNow();
    for (let step = 0; step < 60; step++) {
      optimizer
        .minimize(
          () =>
            linearCrossEntropy(problem.hidden, table, problem.labels, {
              weightLayout: 'vocab-by-hidden',
              bias,
              chunkSize: 5,
            }).loss,
          false,
          [table, bias],
        )
        ?.dispose();
    }
    const after = lossNow();
    expect(after).toBeLessThan(0.25 * before);
    optimizer.dispose();
    tf.dispose([table, bias]);
    disposeProblem(problem);
  });
});

describe('linearCrossEntropy trains a small head on wasm with optimizer.minimize', () => {
  it('lowers the loss of a [64, 32] → 500 head by more than half in 30 SGD steps', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const problem = makeProblem([64], 32, 500, 'hidden-by-vocab', true);
    const scaled = tf.mul(problem.weight, 0.1);
    const weight = tf.variable(scaled, true, 'lce-wasm-weight');
    scaled.dispose();
    const bias = tf.variable(problem.bias!, true, 'lce-wasm-bias');
    const optimizer = tf.train.sgd(2);
    const step = () =>
      optimizer.minimize(
        () =>
          linearCrossEntropy(problem.hidden, weight, problem.labels, { bias, chunkSize: 24 }).loss,
        true,
        [weight, bias],
      )!;
    const first = step();
    const initial = first.dataSync()[0]!;
    first.dispose();
    let last = initial;
    for (let iteration = 0; iteration < 30; iteration++) {
      const loss = step();
      last = loss.dataSync()[0]!;
      loss.dispose();
    }
    expect(last).toBeLessThan(0.5 * initial);
    optimizer.dispose();
    tf.dispose([weight, bias]);
    disposeProblem(problem);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend(previous);
  });
});

describeEachBackend('linearCrossEntropy rejects bad inputs with typed errors', () => {
  /** Asserts that `call` throws a `type` error whose message contains every fragment (as plain text). */
  const expectError = (
    call: () => unknown,
    type: typeof InvalidArgumentError,
    fragments: string[],
  ) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(caught, 'an error was thrown').toBeInstanceOf(Error);
    expect(type.isInstance(caught), `a ${type.name}`).toBe(true);
    const message = (caught as Error).message;
    expect(message).toMatch(/^linearCrossEntropy: argument '/);
    for (const fragment of fragments) expect(message).toContain(fragment);
  };

  it('rejects hidden states that are not a float32 tensor of rank 2 or 3', () => {
    const weight = tf.zeros([4, 6]);
    expectError(
      () => linearCrossEntropy([1, 2] as unknown as tf.Tensor, weight, [0]),
      InvalidArgumentError,
      ["'hidden'", 'float32 tensor', 'Fix:'],
    );
    const ints = tf.zeros([2, 4], 'int32');
    expectError(() => linearCrossEntropy(ints, weight, [0, 1]), InvalidArgumentError, [
      "'hidden'",
      "tf.cast(hidden, 'float32')",
    ]);
    const flat = tf.zeros([4]);
    expectError(() => linearCrossEntropy(flat, weight, [0]), ShapeMismatchError, [
      "'hidden'",
      'rank 2 or 3',
    ]);
    tf.dispose([weight, ints, flat]);
  });

  it('rejects a weight whose hidden axis does not match, suggesting the other layout when it fits', () => {
    const hidden = tf.zeros([2, 4]);
    const tied = tf.zeros([6, 4]);
    expectError(() => linearCrossEntropy(hidden, tied, [0, 1]), ShapeMismatchError, [
      "'weight'",
      'shape [4, V]',
      'received a float32 tensor of shape [6, 4]',
      "weightLayout = 'vocab-by-hidden'",
    ]);
    const unrelated = tf.zeros([5, 7]);
    expectError(
      () => linearCrossEntropy(hidden, unrelated, [0, 1], { weightLayout: 'vocab-by-hidden' }),
      ShapeMismatchError,
      ["'weight'", 'shape [V, 4]', 'output projection'],
    );
    tf.dispose([hidden, tied, unrelated]);
  });

  it('rejects a bias that is not a float32 [V] tensor', () => {
    const hidden = tf.zeros([2, 4]);
    const weight = tf.zeros([4, 6]);
    const wrong = tf.zeros([5]);
    expectError(
      () => linearCrossEntropy(hidden, weight, [0, 1], { bias: wrong }),
      ShapeMismatchError,
      ["'options.bias'", 'shape [6]'],
    );
    expectError(
      () => linearCrossEntropy(hidden, weight, [0, 1], { bias: [1, 2] as unknown as tf.Tensor }),
      InvalidArgumentError,
      ["'options.bias'"],
    );
    tf.dispose([hidden, weight, wrong]);
  });

  it('rejects a chunk size that is not a positive integer, and an unknown weight layout', () => {
    const hidden = tf.zeros([2, 4]);
    const weight = tf.zeros([4, 6]);
    for (const chunkSize of [0, -3, 2.5, Number.NaN]) {
      expectError(
        () => linearCrossEntropy(hidden, weight, [0, 1], { chunkSize }),
        InvalidArgumentError,
        ["'options.chunkSize'", 'integer in [1, ∞)', 'positive whole number'],
      );
    }
    expectError(
      () =>
        linearCrossEntropy(hidden, weight, [0, 1], {
          weightLayout: 'vocab-by-embedding' as ProjectionLayout,
        }),
      InvalidArgumentError,
      ["'options.weightLayout'", "'hidden-by-vocab', 'vocab-by-hidden'"],
    );
    tf.dispose([hidden, weight]);
  });

  it('rejects labels of the wrong shape or out of the vocabulary, and misspelt options', () => {
    const hidden = tf.zeros([2, 3, 4]);
    const weight = tf.zeros([4, 6]);
    const flatLabels = tf.zeros([6], 'int32');
    expectError(() => linearCrossEntropy(hidden, weight, flatLabels), ShapeMismatchError, [
      "'labels'",
      'shape [2, 3]',
    ]);
    expectError(
      () => linearCrossEntropy(hidden, weight, [0, 1, 2, 3, 4, 6]),
      InvalidArgumentError,
      ["'labels[1, 2]'", 'class id in [0, 6)'],
    );
    expectError(
      () =>
        linearCrossEntropy(hidden, weight, [0, 1, 2, 3, 4, 5], {
          chunk_size: 4,
        } as unknown as LinearCrossEntropyOptions),
      InvalidArgumentError,
      ["'options.chunk_size'", 'chunkSize'],
    );
    expectError(
      () =>
        linearCrossEntropy(hidden, weight, [0, 1, 2, 3, 4, 5], {
          reduction: 'sum',
          numItemsInBatch: 3,
        }),
      InvalidArgumentError,
      ["'options.numItemsInBatch'"],
    );
    tf.dispose([hidden, weight, flatLabels]);
  });
});

describeEachBackend('tokenCrossEntropy on hidden states uses the fused path', () => {
  it('gives the fused values and gradients for both layouts, and honours chunkSize', () => {
    for (const layout of ['hidden-by-vocab', 'vocab-by-hidden'] as const) {
      const problem = makeProblem([2, 7], 5, 9, layout, true);
      const projection = { weight: problem.weight, layout, bias: problem.bias! };
      const viaScores = tokenCrossEntropy(
        { hiddenStates: problem.hidden, projection },
        problem.labels,
        { shift: true },
      );
      const direct = linearCrossEntropy(problem.hidden, problem.weight, problem.labels, {
        shift: true,
        weightLayout: layout,
        bias: problem.bias!,
      });
      expect(viaScores.loss.dataSync()[0]).toBe(direct.loss.dataSync()[0]);
      const gradients = tf.grads(
        (h: tf.Tensor, w: tf.Tensor) =>
          tokenCrossEntropy(
            { hiddenStates: h, projection: { weight: w, layout } },
            problem.labels,
            { chunkSize: 4 },
          ).loss,
      )([problem.hidden, problem.weight]);
      const expected = tf.grads(
        (h: tf.Tensor, w: tf.Tensor) =>
          linearCrossEntropy(h, w, problem.labels, { weightLayout: layout, chunkSize: 4 }).loss,
      )([problem.hidden, problem.weight]);
      gradients.forEach((gradient, index) => {
        expect(Array.from(gradient.dataSync())).toEqual(Array.from(expected[index]!.dataSync()));
      });
      // The chunk size reaches linearCrossEntropy: only its validation says "whole number of rows".
      expect(() =>
        tokenCrossEntropy({ hiddenStates: problem.hidden, projection }, problem.labels, {
          chunkSize: 0,
        }),
      ).toThrow(/argument 'options.chunkSize'.*positive whole number of rows/);
      tf.dispose([...gradients, ...expected]);
      disposeLoss(viaScores);
      disposeLoss(direct);
      disposeProblem(problem);
    }
  });

  it('never builds the [N, V] logits: peak memory stays below one logits tensor', async () => {
    const problem = makeProblem([512], 4, 1000, 'vocab-by-hidden', false);
    const start = tf.memory().numBytes;
    const profile = await tf.profile(() =>
      tf.grads(
        (h: tf.Tensor, w: tf.Tensor) =>
          tokenCrossEntropy(
            { hiddenStates: h, projection: { weight: w, layout: 'vocab-by-hidden' } },
            problem.labels,
            {
              chunkSize: 32,
            },
          ).loss,
      )([problem.hidden, problem.weight]),
    );
    expect(profile.peakBytes - start).toBeLessThan((512 * 1000 * 4) / 2);
    tf.dispose(profile.result as tf.Tensor[]);
    disposeProblem(problem);
  });
});
