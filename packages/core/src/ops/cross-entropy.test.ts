import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { decodeArray, type EncodedArray, readGolden } from '../../test/golden';
import { type CrossEntropyOptions, crossEntropy } from './cross-entropy';

interface GoldenCase {
  name: string;
  logits: EncodedArray;
  labels: EncodedArray;
  weights?: EncodedArray;
  options: Omit<CrossEntropyOptions, 'weights'>;
  cotangent?: EncodedArray;
  expected: { loss: number | EncodedArray; sum: number; count: number; gradLogits: EncodedArray };
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/cross-entropy.golden.json', import.meta.url),
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

function caseInputs(testCase: GoldenCase) {
  const logits = tf.tensor(decodeArray(testCase.logits), testCase.logits.shape, 'float32');
  const labels = tf.tensor(decodeArray(testCase.labels), testCase.labels.shape, 'int32');
  const weights = testCase.weights
    ? tf.tensor(decodeArray(testCase.weights), testCase.weights.shape, 'float32')
    : undefined;
  const options: CrossEntropyOptions = { ...testCase.options, ...(weights ? { weights } : {}) };
  return { logits, labels, weights, options };
}

describeEachBackend('crossEntropy against float64 PyTorch golden values', () => {
  for (const testCase of golden.cases) {
    it(`matches the forward values: ${testCase.name}`, () => {
      const { logits, labels, weights, options } = caseInputs(testCase);
      const result = crossEntropy(logits, labels, options);
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
      tf.dispose([result.loss, result.sum, result.count, logits, labels, weights]);
    });

    it(`matches the gradient: ${testCase.name}`, () => {
      const { logits, labels, weights, options } = caseInputs(testCase);
      const cotangent = testCase.cotangent
        ? tf.tensor(
            Float32Array.from(decodeArray(testCase.cotangent)),
            testCase.cotangent.shape,
            'float32',
          )
        : undefined;
      const gradient = tf.grad((input: tf.Tensor) => {
        const { loss } = crossEntropy(input, labels, options);
        return cotangent ? tf.sum(tf.mul(loss, cotangent)) : loss;
      })(logits);
      expect(gradient.shape).toEqual(testCase.logits.shape);
      const values = gradient.dataSync();
      expect(values.every(Number.isFinite)).toBe(true);
      expectRelativelyClose(
        values,
        decodeArray(testCase.expected.gradLogits),
        GRADIENT_TOLERANCE,
        'gradient',
      );
      tf.dispose([gradient, logits, labels, weights, cotangent]);
    });
  }
});

/** Float64 reference of the plain (unsmoothed, unweighted) mean loss for the finite differences. */
function referenceMeanLoss(
  logits: Float64Array,
  labels: Int32Array,
  vocabularySize: number,
): number {
  let sum = 0;
  let count = 0;
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    if (label === -100) continue;
    const start = row * vocabularySize;
    let max = -Infinity;
    for (let v = 0; v < vocabularySize; v++) max = Math.max(max, logits[start + v]!);
    let total = 0;
    for (let v = 0; v < vocabularySize; v++) total += Math.exp(logits[start + v]! - max);
    sum += max + Math.log(total) - logits[start + label]!;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

describeEachBackend('crossEntropy gradient against finite differences', () => {
  it('agrees with central differences of a float64 reference at every logit', () => {
    const vocabularySize = 5;
    const logitValues = Float32Array.from(
      { length: 4 * vocabularySize },
      (_, index) => Math.sin(index * 1.7) * 2,
    );
    const labelValues = Int32Array.from([3, -100, 0, 4]);
    const logits = tf.tensor2d(logitValues, [4, vocabularySize]);
    const gradient = tf.grad((input: tf.Tensor) => crossEntropy(input, labelValues).loss)(logits);
    const analytic = gradient.dataSync();
    const step = 1e-6;
    const base = Float64Array.from(logitValues);
    const numeric = new Float64Array(base.length);
    for (let index = 0; index < base.length; index++) {
      const plus = Float64Array.from(base);
      const minus = Float64Array.from(base);
      plus[index]! += step;
      minus[index]! -= step;
      numeric[index] =
        (referenceMeanLoss(plus, labelValues, vocabularySize) -
          referenceMeanLoss(minus, labelValues, vocabularySize)) /
        (2 * step);
    }
    // float32 gradient against a float64 derivative: entries are O(0.3); 1e-5 relative is float32-tight.
    expectRelativelyClose(analytic, numeric, 1e-5, 'gradient');
    // The ignored row gets exactly zero gradient.
    expect(Array.from(analytic.slice(vocabularySize, 2 * vocabularySize))).toEqual([0, 0, 0, 0, 0]);
    tf.dispose([logits, gradient]);
  });
});

describeEachBackend('crossEntropy behaviour', () => {
  it('gives a loss of 0 and a zero gradient when every label is ignored, with or without numItemsInBatch', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    for (const options of [
      {},
      { numItemsInBatch: 0 },
      { numItemsInBatch: 5 },
      { reduction: 'sum' as const },
    ]) {
      const { value, grad } = tf.valueAndGrad(
        (input: tf.Tensor) => crossEntropy(input, [-100, -100], options).loss as tf.Scalar,
      )(logits);
      expect(value.dataSync()[0]).toBe(0);
      expect(Array.from(grad.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      tf.dispose([value, grad]);
    }
    logits.dispose();
  });

  it('stays finite for logits of ±1e4 and huge label margins', () => {
    const logits = tf.tensor2d([
      [1e4, -1e4, 0],
      [-1e4, 1e4, 5e3],
    ]);
    const { loss, sum, count } = crossEntropy(logits, [1, 0], { reduction: 'none' });
    const values = loss.dataSync();
    expect(values[0]).toBeCloseTo(2e4, 0);
    expect(values[1]).toBeCloseTo(2e4, 0);
    const gradient = tf.grad((input: tf.Tensor) => crossEntropy(input, [1, 0]).loss)(logits);
    expect(gradient.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose([logits, loss, sum, count, gradient]);
  });

  it('accumulates micro-batches by total count: sums over numItemsInBatch equal one big batch, unlike the mean of means', () => {
    const logits = tf.tensor2d([
      [0.2, 1.1, -0.3],
      [0.9, -1.2, 0.4],
      [1.5, 0.1, -0.7],
      [-0.2, 0.3, 0.8],
    ]);
    const labels = [2, 0, -100, 1];
    const whole = crossEntropy(logits, labels);
    const [first, second] = tf.split(logits, [1, 3]) as [tf.Tensor, tf.Tensor];
    const total = 3; // counted positions over the window: 1 + 2
    const partA = crossEntropy(first, labels.slice(0, 1), { numItemsInBatch: total });
    const partB = crossEntropy(second, labels.slice(1), { numItemsInBatch: total });
    const accumulated = partA.loss.dataSync()[0]! + partB.loss.dataSync()[0]!;
    expect(accumulated).toBeCloseTo(whole.loss.dataSync()[0]!, 6);
    const meanA = crossEntropy(first, labels.slice(0, 1));
    const meanB = crossEntropy(second, labels.slice(1));
    const meanOfMeans = (meanA.loss.dataSync()[0]! + meanB.loss.dataSync()[0]!) / 2;
    expect(Math.abs(meanOfMeans - whole.loss.dataSync()[0]!)).toBeGreaterThan(0.05);
    tf.dispose(
      [logits, first, second, whole, partA, partB, meanA, meanB].flatMap((item) =>
        item instanceof tf.Tensor ? [item] : Object.values(item),
      ),
    );
  });

  it('accepts labels and weights as plain arrays, typed arrays or tensors with the same result', () => {
    const logits = tf.tensor3d([
      [
        [0.5, -0.5, 1],
        [2, 0, -1],
      ],
    ]);
    const fromArray = crossEntropy(logits, [2, 0], { weights: [0.5, 2] });
    const labelTensor = tf.tensor2d([[2, 0]], [1, 2], 'int32');
    const weightTensor = tf.tensor2d([[0.5, 2]]);
    const fromTensor = crossEntropy(logits, labelTensor, { weights: weightTensor });
    const fromTyped = crossEntropy(logits, Int32Array.from([2, 0]), {
      weights: Float32Array.from([0.5, 2]),
    });
    const expected = fromArray.loss.dataSync()[0]!;
    expect(fromTensor.loss.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(fromTyped.loss.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(fromArray.count.dataSync()[0]).toBeCloseTo(2.5, 6);
    tf.dispose([
      logits,
      labelTensor,
      weightTensor,
      ...Object.values(fromArray),
      ...Object.values(fromTensor),
      ...Object.values(fromTyped),
    ]);
  });

  it('shifts once: shift on aligned labels equals no shift on pre-shifted labels', () => {
    const logits = tf.tensor3d([
      [
        [0.1, 0.7, -0.4, 0.2],
        [1.3, -0.6, 0.5, 0.0],
        [0.3, 0.3, 0.9, -1.1],
      ],
    ]);
    const aligned = [3, 1, 2];
    const shifted = crossEntropy(logits, aligned, { shift: true });
    const preShifted = crossEntropy(logits, [1, 2, -100]);
    expect(shifted.loss.dataSync()[0]).toBeCloseTo(preShifted.loss.dataSync()[0]!, 6);
    expect(shifted.count.dataSync()[0]).toBe(2);
    tf.dispose([logits, ...Object.values(shifted), ...Object.values(preShifted)]);
  });

  it('trains through optimizer.minimize on the current backend', () => {
    const initial = tf.zeros([3, 4]);
    const logits = tf.variable(initial);
    initial.dispose();
    const optimizer = tf.train.sgd(1);
    const labels = [1, 3, -100];
    const first = crossEntropy(logits, labels);
    const before = first.loss.dataSync()[0]!;
    for (let step = 0; step < 20; step++) {
      optimizer.minimize(() => crossEntropy(logits, labels).loss, false, [logits])?.dispose();
    }
    const last = crossEntropy(logits, labels);
    expect(before).toBeCloseTo(Math.log(4), 5);
    expect(last.loss.dataSync()[0]).toBeLessThan(0.1 * before);
    tf.dispose([...Object.values(first), ...Object.values(last), logits]);
    optimizer.dispose();
  });
});

describeEachBackend('crossEntropy on logits without positions', () => {
  it('returns zeros and an empty zero gradient for [0, V] and [B, 0, V] logits', () => {
    for (const shape of [
      [0, 5],
      [2, 0, 5],
    ]) {
      const logits = tf.zeros(shape);
      const labels = tf.zeros(shape.slice(0, -1), 'int32');
      const result = crossEntropy(logits, labels, { shift: true });
      expect([
        result.loss.dataSync()[0],
        result.sum.dataSync()[0],
        result.count.dataSync()[0],
      ]).toEqual([0, 0, 0]);
      const gradient = tf.grad((input: tf.Tensor) => crossEntropy(input, labels).loss)(logits);
      expect(gradient.shape).toEqual(shape);
      const none = crossEntropy(logits, labels, { reduction: 'none' });
      expect(none.loss.shape).toEqual(shape.slice(0, -1));
      tf.dispose([logits, labels, gradient, ...Object.values(result), ...Object.values(none)]);
    }
  });
});
