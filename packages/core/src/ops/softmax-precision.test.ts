import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, maxAbs, maxAbsDifference } from '../../test/backends';
import { decodeArray, type EncodedArray, readGolden } from '../../test/golden';
import { crossEntropy } from './cross-entropy';
import { linearCrossEntropy } from './linear-cross-entropy';

interface PrecisionCase {
  name: string;
  logits: EncodedArray;
  labels: EncodedArray;
  expected: { loss: number; gradLogits: EncodedArray };
  pytorchFloat32: { lossRelativeError: number; gradientRelativeError: number };
}

const golden = readGolden<{ cases: PrecisionCase[] }>(
  new URL('./__fixtures__/softmax-precision.golden.json', import.meta.url),
);

/**
 * How much worse than PyTorch float32 ours may be, in units of the relative error: one float32
 * rounding of the largest entry, 2⁻²⁴ ≈ 6e-8. Below it the two implementations differ only in the
 * order of a sum (the `exp` and `log` of tfjs and of PyTorch round differently by an ulp or so).
 */
const SLACK = 2 ** -24;

/** max |actual − expected| / max |expected| (the metric the golden script records for PyTorch). */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  return maxAbsDifference(actual, expected) / maxAbs(expected, 1e-300);
}

/** Loss and logit gradient of the mean cross-entropy, through `crossEntropy`. */
function throughCrossEntropy(testCase: PrecisionCase) {
  const logits = decodeArray(testCase.logits) as Float32Array;
  const labels = decodeArray(testCase.labels) as Int32Array;
  const input = tf.tensor2d(logits, testCase.logits.shape as [number, number]);
  const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => crossEntropy(z, labels).loss)(input);
  const result = { loss: value.dataSync()[0]!, gradient: grad.dataSync() };
  tf.dispose([input, value, grad]);
  return result;
}

/**
 * The same through `linearCrossEntropy`, with one-hot hidden states `[N, N]` and the logits as the
 * weight `[N, V]`: the product $hW$ is then exact (each output is $1 \cdot z$ plus zeros) and
 * $\partial W = h^\top G$ is the logit gradient itself, so only the softmax is measured.
 */
function throughLinearCrossEntropy(testCase: PrecisionCase) {
  const logits = decodeArray(testCase.logits) as Float32Array;
  const labels = decodeArray(testCase.labels) as Int32Array;
  const [rows] = testCase.logits.shape as [number, number];
  const hidden = tf.eye(rows);
  const weight = tf.tensor2d(logits, testCase.logits.shape as [number, number]);
  const { value, grad } = tf.valueAndGrad(
    (w: tf.Tensor) => linearCrossEntropy(hidden, w, labels, { chunkSize: 5 }).loss,
  )(weight);
  const result = { loss: value.dataSync()[0]!, gradient: grad.dataSync() };
  tf.dispose([hidden, weight, value, grad]);
  return result;
}

describeEachBackend('softmax precision against PyTorch float32, logit scales 0.1 to 2.5e4', () => {
  it('covers the scales 0.1 to 1e4, two near-equal top logits at 2.5e4 and V = 32000', () => {
    expect(golden.cases.map((testCase) => testCase.name)).toEqual([
      'logit scale 0.1',
      'logit scale 1',
      'logit scale 10',
      'logit scale 100',
      'logit scale 1000',
      'logit scale 10000',
      'two near-equal top logits at |z| ≈ 2.5e4',
      'logit scale 10, vocabulary 32000',
    ]);
  });

  for (const testCase of golden.cases) {
    for (const [path, compute] of [
      ['crossEntropy', throughCrossEntropy],
      ['linearCrossEntropy', throughLinearCrossEntropy],
    ] as const) {
      it(`${path} is at least as accurate as PyTorch float32: ${testCase.name}`, () => {
        const { loss, gradient } = compute(testCase);
        const expectedGradient = decodeArray(testCase.expected.gradLogits);
        const lossError =
          Math.abs(loss - testCase.expected.loss) / Math.abs(testCase.expected.loss);
        const gradientError = relativeError(gradient, expectedGradient);
        const reference = testCase.pytorchFloat32;
        expect(lossError, 'loss relative error').toBeLessThanOrEqual(
          reference.lossRelativeError + SLACK,
        );
        expect(gradientError, 'gradient relative error').toBeLessThanOrEqual(
          reference.gradientRelativeError + SLACK,
        );
      });
    }
  }
});
