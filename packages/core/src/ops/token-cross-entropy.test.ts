import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import type { HiddenStateScores, TokenScores } from '../contract/v1/model-outputs';
import type { TokenLoss } from '../contract/v1/token-loss';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRng } from '../random/create-rng';
import { crossEntropy } from './cross-entropy';
import { tokenCrossEntropy } from './token-cross-entropy';

const BATCH = 2;
const LENGTH = 3;
const HIDDEN = 4;
const VOCABULARY = 6;
const POSITIONS = BATCH * LENGTH;
/** `[B, L]` labels with one ignored position. */
const LABELS = [5, 0, -100, 2, 2, 4];

function normalValues(seed: number, count: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** Reads `{ loss, sum, count }` as numbers and disposes the tensors. */
function read(result: TokenLoss): { loss: number; sum: number; count: number } {
  const values = {
    loss: result.loss.dataSync()[0]!,
    sum: result.sum.dataSync()[0]!,
    count: result.count.dataSync()[0]!,
  };
  tf.dispose([result.loss, result.sum, result.count]);
  return values;
}

/**
 * Float64 mean token cross-entropy of logits `z = h·W + b` (`W` `[H, V]`, row-major) and its
 * closed-form gradients: with $g_t = (\mathrm{softmax}(z_t) - \mathrm{onehot}(y_t)) / n$ on the $n$
 * counted rows (0 elsewhere), $\partial h = g W^\top$, $\partial W = h^\top g$, $\partial b = \sum_t g_t$.
 */
function reference64(
  hidden: ArrayLike<number>,
  weight: ArrayLike<number>,
  bias: ArrayLike<number>,
  labels: readonly number[],
) {
  const counted = labels.filter((label) => label !== -100).length;
  let sum = 0;
  const logitGradient = new Float64Array(POSITIONS * VOCABULARY);
  for (let row = 0; row < POSITIONS; row++) {
    const logits = new Float64Array(VOCABULARY);
    for (let v = 0; v < VOCABULARY; v++) {
      let total = bias[v] as number;
      for (let h = 0; h < HIDDEN; h++) {
        total += (hidden[row * HIDDEN + h] as number) * (weight[h * VOCABULARY + v] as number);
      }
      logits[v] = total;
    }
    const label = labels[row]!;
    if (label === -100) continue;
    const largest = Math.max(...logits);
    let sumExp = 0;
    for (const logit of logits) sumExp += Math.exp(logit - largest);
    const logSumExp = largest + Math.log(sumExp);
    sum += logSumExp - logits[label]!;
    for (let v = 0; v < VOCABULARY; v++) {
      const probability = Math.exp(logits[v]! - logSumExp);
      logitGradient[row * VOCABULARY + v] = (probability - (v === label ? 1 : 0)) / counted;
    }
  }
  const hiddenGradient = new Float64Array(POSITIONS * HIDDEN);
  const weightGradient = new Float64Array(HIDDEN * VOCABULARY);
  const biasGradient = new Float64Array(VOCABULARY);
  for (let row = 0; row < POSITIONS; row++) {
    for (let v = 0; v < VOCABULARY; v++) {
      const g = logitGradient[row * VOCABULARY + v]!;
      biasGradient[v]! += g;
      for (let h = 0; h < HIDDEN; h++) {
        hiddenGradient[row * HIDDEN + h]! += g * (weight[h * VOCABULARY + v] as number);
        weightGradient[h * VOCABULARY + v]! += (hidden[row * HIDDEN + h] as number) * g;
      }
    }
  }
  return { loss: sum / counted, sum, count: counted, hiddenGradient, weightGradient, biasGradient };
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

describeEachBackend('tokenCrossEntropy', () => {
  it('scores { logits } exactly as crossEntropy(logits, labels)', () => {
    const logits = tf.tensor3d(normalValues(1, POSITIONS * VOCABULARY), [
      BATCH,
      LENGTH,
      VOCABULARY,
    ]);
    const labels = tf.tensor2d(LABELS, [BATCH, LENGTH], 'int32');
    const viaScores = read(tokenCrossEntropy({ logits }, labels));
    const direct = read(crossEntropy(logits, labels));
    expect(viaScores).toEqual(direct);
    expect(viaScores.count).toBe(5);
    tf.dispose([logits, labels]);
  });

  it("projects { hiddenStates, 'hidden-by-vocab' [H, V] weight, bias } as h·W + b, forward and gradients", () => {
    const hidden = tf.tensor3d(normalValues(2, POSITIONS * HIDDEN), [BATCH, LENGTH, HIDDEN]);
    const weight = tf.tensor2d(normalValues(3, HIDDEN * VOCABULARY), [HIDDEN, VOCABULARY]);
    const bias = tf.tensor1d(normalValues(4, VOCABULARY));
    const labels = tf.tensor2d(LABELS, [BATCH, LENGTH], 'int32');
    const fused = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tokenCrossEntropy(
        { hiddenStates: h, projection: { weight: w, layout: 'hidden-by-vocab', bias: b } },
        labels,
      );
    const explicit = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      crossEntropy(
        tf.reshape(tf.add(tf.matMul(tf.reshape(h, [POSITIONS, HIDDEN]), w), b), [
          BATCH,
          LENGTH,
          VOCABULARY,
        ]),
        labels,
      );
    const expected = reference64(hidden.dataSync(), weight.dataSync(), bias.dataSync(), LABELS);

    const forward = read(fused(hidden, weight, bias));
    const forwardExplicit = tf.tidy(() => read(explicit(hidden, weight, bias)));
    expect(forward.count).toBe(5);
    expectRelativelyClose(
      [forward.loss, forward.sum],
      [expected.loss, expected.sum],
      1e-5,
      'vs f64',
    );
    expectRelativelyClose(
      [forward.loss, forward.sum],
      [forwardExplicit.loss, forwardExplicit.sum],
      1e-5,
      'vs explicit logits',
    );

    const gradients = tf.grads((...args: tf.Tensor[]) => fused(args[0]!, args[1]!, args[2]!).loss)([
      hidden,
      weight,
      bias,
    ]);
    const explicitGradients = tf.grads(
      (...args: tf.Tensor[]) => explicit(args[0]!, args[1]!, args[2]!).loss,
    )([hidden, weight, bias]);
    const [dHidden, dWeight, dBias] = gradients as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(dHidden.shape).toEqual([BATCH, LENGTH, HIDDEN]);
    expect(dWeight.shape).toEqual([HIDDEN, VOCABULARY]);
    expect(dBias.shape).toEqual([VOCABULARY]);
    // float32 with sums over ≤ 6 terms of size ~1: errors ~1e-7 of the largest entry.
    expectRelativelyClose(dHidden.dataSync(), expected.hiddenGradient, 1e-5, 'dh vs f64');
    expectRelativelyClose(dWeight.dataSync(), expected.weightGradient, 1e-5, 'dW vs f64');
    expectRelativelyClose(dBias.dataSync(), expected.biasGradient, 1e-5, 'db vs f64');
    for (const [index, reference] of explicitGradients.entries()) {
      const what = `gradient of input ${index} vs explicit logits`;
      expectRelativelyClose(gradients[index]!.dataSync(), reference.dataSync(), 1e-5, what);
    }
    tf.dispose([hidden, weight, bias, labels, ...gradients, ...explicitGradients]);
  });

  it("projects a tied 'vocab-by-hidden' [V, H] weight as h·Wᵀ, forward and gradients", () => {
    const hidden = tf.tensor2d(normalValues(5, POSITIONS * HIDDEN), [POSITIONS, HIDDEN]);
    const table = tf.tensor2d(normalValues(6, VOCABULARY * HIDDEN), [VOCABULARY, HIDDEN]);
    const labels = Int32Array.from(LABELS);
    const tied = (h: tf.Tensor, w: tf.Tensor) =>
      tokenCrossEntropy(
        { hiddenStates: h, projection: { weight: w, layout: 'vocab-by-hidden' } },
        labels,
      );
    const explicit = (h: tf.Tensor, w: tf.Tensor) =>
      crossEntropy(tf.matMul(h, tf.transpose(w)), labels);

    // The float64 reference takes W as [H, V]: transpose the table and use a zero bias.
    const tableValues = table.dataSync();
    const kernel = new Float64Array(HIDDEN * VOCABULARY);
    for (let v = 0; v < VOCABULARY; v++) {
      for (let h = 0; h < HIDDEN; h++) kernel[h * VOCABULARY + v] = tableValues[v * HIDDEN + h]!;
    }
    const expected = reference64(hidden.dataSync(), kernel, new Float64Array(VOCABULARY), LABELS);

    const forward = read(tied(hidden, table));
    const forwardExplicit = tf.tidy(() => read(explicit(hidden, table)));
    expectRelativelyClose(
      [forward.loss, forward.sum],
      [expected.loss, expected.sum],
      1e-5,
      'vs f64',
    );
    expectRelativelyClose(
      [forward.loss, forward.sum],
      [forwardExplicit.loss, forwardExplicit.sum],
      1e-5,
      'vs explicit logits',
    );
    expect(forward.count).toBe(5);

    const gradients = tf.grads((...args: tf.Tensor[]) => tied(args[0]!, args[1]!).loss)([
      hidden,
      table,
    ]);
    const explicitGradients = tf.grads((...args: tf.Tensor[]) => explicit(args[0]!, args[1]!).loss)(
      [hidden, table],
    );
    const [dHidden, dTable] = gradients as [tf.Tensor, tf.Tensor];
    expect(dTable.shape).toEqual([VOCABULARY, HIDDEN]);
    const expectedTable = new Float64Array(VOCABULARY * HIDDEN);
    for (let v = 0; v < VOCABULARY; v++) {
      for (let h = 0; h < HIDDEN; h++) {
        expectedTable[v * HIDDEN + h] = expected.weightGradient[h * VOCABULARY + v]!;
      }
    }
    expectRelativelyClose(dHidden.dataSync(), expected.hiddenGradient, 1e-5, 'dh vs f64');
    expectRelativelyClose(dTable.dataSync(), expectedTable, 1e-5, 'dW vs f64');
    for (const [index, reference] of explicitGradients.entries()) {
      const what = `gradient of input ${index} vs explicit logits`;
      expectRelativelyClose(gradients[index]!.dataSync(), reference.dataSync(), 1e-5, what);
    }
    tf.dispose([hidden, table, ...gradients, ...explicitGradients]);
  });

  it("passes options through on the hidden-state path (shift, reduction 'sum', 'none')", () => {
    const hidden = tf.tensor3d(normalValues(7, POSITIONS * HIDDEN), [BATCH, LENGTH, HIDDEN]);
    const weight = tf.tensor2d(normalValues(8, HIDDEN * VOCABULARY), [HIDDEN, VOCABULARY]);
    const labels = tf.tensor2d(LABELS, [BATCH, LENGTH], 'int32');
    const logits = tf.tidy(() =>
      tf.reshape(tf.matMul(tf.reshape(hidden, [POSITIONS, HIDDEN]), weight), [
        BATCH,
        LENGTH,
        VOCABULARY,
      ]),
    );
    const scores: HiddenStateScores = {
      hiddenStates: hidden,
      projection: { weight, layout: 'hidden-by-vocab' },
    };

    const shiftedSum = read(tokenCrossEntropy(scores, labels, { shift: true, reduction: 'sum' }));
    const reference = read(crossEntropy(logits, labels, { shift: true, reduction: 'sum' }));
    const unshifted = read(tokenCrossEntropy(scores, labels, { reduction: 'sum' }));
    // Shifted targets [0, -100, -] and [2, 4, -]: 3 counted positions, not 5.
    expect(shiftedSum.count).toBe(3);
    expect(reference.count).toBe(3);
    expect(shiftedSum.loss).toBe(shiftedSum.sum);
    expectRelativelyClose([shiftedSum.sum], [reference.sum], 1e-5, 'shifted sum');
    expect(unshifted.count).toBe(5);
    expect(Math.abs(unshifted.sum - shiftedSum.sum)).toBeGreaterThan(1e-3);

    const perPosition = tokenCrossEntropy(scores, labels, { reduction: 'none', shift: true });
    const perPositionReference = crossEntropy(logits, labels, { reduction: 'none', shift: true });
    expect(perPosition.loss.shape).toEqual([BATCH, LENGTH]);
    expectRelativelyClose(
      perPosition.loss.dataSync(),
      perPositionReference.loss.dataSync(),
      1e-5,
      'per position',
    );
    tf.dispose([hidden, weight, labels, logits]);
    tf.dispose([perPosition.loss, perPosition.sum, perPosition.count]);
    tf.dispose([perPositionReference.loss, perPositionReference.sum, perPositionReference.count]);
  });

  it('gives the same loss and gradients for every chunkSize on the hidden-state path', () => {
    const hidden = tf.tensor3d(normalValues(9, POSITIONS * HIDDEN), [BATCH, LENGTH, HIDDEN]);
    const weight = tf.tensor2d(normalValues(10, HIDDEN * VOCABULARY), [HIDDEN, VOCABULARY]);
    const bias = tf.tensor1d(normalValues(11, VOCABULARY));
    const expected = reference64(hidden.dataSync(), weight.dataSync(), bias.dataSync(), LABELS);
    // 1, a size that does not divide the 6 positions, exactly 6, and more than 6.
    for (const chunkSize of [1, 4, 6, 256]) {
      const lossOf = (...args: tf.Tensor[]) =>
        tokenCrossEntropy(
          {
            hiddenStates: args[0]!,
            projection: { weight: args[1]!, layout: 'hidden-by-vocab', bias: args[2]! },
          },
          LABELS,
          { chunkSize },
        ).loss;
      const { value, grads } = tf.valueAndGrads(lossOf)([hidden, weight, bias]);
      const what = `chunkSize ${chunkSize}`;
      expectRelativelyClose(value.dataSync(), [expected.loss], 1e-5, `${what}: loss`);
      expectRelativelyClose(grads[0]!.dataSync(), expected.hiddenGradient, 1e-5, `${what}: dh`);
      expectRelativelyClose(grads[1]!.dataSync(), expected.weightGradient, 1e-5, `${what}: dW`);
      expectRelativelyClose(grads[2]!.dataSync(), expected.biasGradient, 1e-5, `${what}: db`);
      tf.dispose([value, ...grads]);
    }
    tf.dispose([hidden, weight, bias]);
  });

  it('accepts and ignores chunkSize for logits', () => {
    const logits = tf.tensor2d(normalValues(12, POSITIONS * VOCABULARY), [POSITIONS, VOCABULARY]);
    const withChunkSize = read(tokenCrossEntropy({ logits }, LABELS, { chunkSize: 2 }));
    expect(withChunkSize).toEqual(read(crossEntropy(logits, LABELS)));
    logits.dispose();
  });

  it('rejects a projection without a valid layout', () => {
    const hidden = tf.zeros([POSITIONS, HIDDEN]);
    const weight = tf.zeros([HIDDEN, VOCABULARY]);
    const missing = errorThrownBy(() =>
      tokenCrossEntropy(
        { hiddenStates: hidden, projection: { weight } } as unknown as TokenScores,
        LABELS,
      ),
    );
    expect(InvalidArgumentError.isInstance(missing)).toBe(true);
    expect(missing.message).toMatch(
      /^tokenCrossEntropy: argument 'scores\.projection\.layout' is invalid.*'hidden-by-vocab'.*'vocab-by-hidden'.*received undefined/,
    );
    const misspelt = errorThrownBy(() =>
      tokenCrossEntropy(
        {
          hiddenStates: hidden,
          projection: { weight, layout: 'hidden_by_vocab' },
        } as unknown as TokenScores,
        LABELS,
      ),
    );
    expect(misspelt.message).toMatch(/'scores\.projection\.layout'.*received "hidden_by_vocab"/);
    tf.dispose([hidden, weight]);
  });

  it('rejects a projection without a weight tensor', () => {
    const hidden = tf.zeros([POSITIONS, HIDDEN]);
    const error = errorThrownBy(() =>
      tokenCrossEntropy(
        {
          hiddenStates: hidden,
          projection: { layout: 'hidden-by-vocab' },
        } as unknown as TokenScores,
        LABELS,
      ),
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /argument 'scores\.projection\.weight' is invalid.*received undefined/,
    );
    hidden.dispose();
  });

  it('rejects a scores object with neither logits nor hiddenStates', () => {
    const logits = tf.zeros([POSITIONS, VOCABULARY]);
    for (const scores of [{ output: logits }, null, logits]) {
      const error = errorThrownBy(() =>
        tokenCrossEntropy(scores as unknown as TokenScores, LABELS),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(
        /^tokenCrossEntropy: argument 'scores' is invalid\. Expected \{ logits \} or \{ hiddenStates, projection/,
      );
    }
    logits.dispose();
  });

  it('rejects bad options and labels on the hidden-state path without leaking tensors', () => {
    const hidden = tf.zeros([POSITIONS, HIDDEN]);
    const weight = tf.zeros([HIDDEN, VOCABULARY]);
    const scores: TokenScores = {
      hiddenStates: hidden,
      projection: { weight, layout: 'hidden-by-vocab' },
    };
    expect(() => tokenCrossEntropy(scores, LABELS, { reduction: 'average' as 'mean' })).toThrow(
      /argument 'options\.reduction' is invalid/,
    );
    expect(() => tokenCrossEntropy(scores, [...LABELS.slice(0, 5), VOCABULARY])).toThrow(
      /argument 'labels\[5\]' is invalid/,
    );
    tf.dispose([hidden, weight]);
  });
});
