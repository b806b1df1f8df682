import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/backends';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { createRng } from '../random/create-rng';
import {
  causalAttentionBias,
  combineAttentionBiases,
  MASKED_ATTENTION_BIAS,
  paddingAttentionBias,
  prefixLmAttentionBias,
} from './attention-masks';

const M = MASKED_ATTENTION_BIAS;

/**
 * A tensor's values as plain numbers. Allowed entries come out as −0 (`0 · −1e9`), which equals 0
 * but not under `toEqual`'s `Object.is`; adding +0 turns −0 into +0 and changes nothing else.
 */
function valuesOf(tensor: tf.Tensor): number[] {
  return Array.from(tensor.dataSync(), (value) => value + 0);
}

/** The prefix-LM rule, written out: query i may attend to key j iff j < sep or j ≤ i. */
function prefixLmReference(separators: readonly number[], length: number): number[] {
  const values: number[] = [];
  for (const separator of separators) {
    for (let query = 0; query < length; query++) {
      for (let key = 0; key < length; key++) {
        values.push(key < separator || key <= query ? 0 : M);
      }
    }
  }
  return values;
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

describeEachBackend('attention masks', () => {
  it('uses a large finite bias for forbidden pairs', () => {
    expect(MASKED_ATTENTION_BIAS).toBe(-1e9);
    // Exactly representable in float32, so tensors hold exactly this value.
    expect(Math.fround(MASKED_ATTENTION_BIAS)).toBe(MASKED_ATTENTION_BIAS);
  });

  it('paddingAttentionBias gives 0 for real tokens and the mask bias for padding, shaped [B, 1, 1, L]', () => {
    const mask = tf.tensor2d(
      [
        [1, 1, 0],
        [1, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const bias = paddingAttentionBias(mask);
    expect(bias.shape).toEqual([2, 1, 1, 3]);
    expect(bias.dtype).toBe('float32');
    expect(valuesOf(bias)).toEqual([0, 0, M, 0, M, M]);
    tf.dispose([mask, bias]);
  });

  it('paddingAttentionBias gives the same values for float32 and bool masks', () => {
    const floatMask = tf.tensor2d([[0, 1, 1, 0]], [1, 4]);
    const boolMask = tf.tensor2d([[false, true, true, false]], [1, 4], 'bool');
    const fromFloat = paddingAttentionBias(floatMask);
    const fromBool = paddingAttentionBias(boolMask);
    expect(valuesOf(fromFloat)).toEqual([M, 0, 0, M]);
    expect(valuesOf(fromBool)).toEqual([M, 0, 0, M]);
    tf.dispose([floatMask, boolMask, fromFloat, fromBool]);
  });

  it('causalAttentionBias(4) lets query i attend to keys j ≤ i only', () => {
    const bias = causalAttentionBias(4);
    expect(bias.shape).toEqual([1, 1, 4, 4]);
    expect(bias.dtype).toBe('float32');
    expect(valuesOf(bias)).toEqual([
      ...[0, M, M, M],
      ...[0, 0, M, M],
      ...[0, 0, 0, M],
      ...[0, 0, 0, 0],
    ]);
    tf.dispose(bias);
  });

  it('causalAttentionBias(1) is a single allowed pair', () => {
    const bias = causalAttentionBias(1);
    expect(bias.shape).toEqual([1, 1, 1, 1]);
    expect(valuesOf(bias)).toEqual([0]);
    tf.dispose(bias);
  });

  it('prefixLmAttentionBias([2, 3], 5) follows j < sep or j ≤ i for every row, query and key', () => {
    const bias = prefixLmAttentionBias([2, 3], 5);
    expect(bias.shape).toEqual([2, 1, 5, 5]);
    expect(bias.dtype).toBe('float32');
    expect(valuesOf(bias)).toEqual(prefixLmReference([2, 3], 5));
    // Spot checks of the rule: in row 0 (sep 2) query 0 sees key 1 (prefix) but not key 2.
    const view = bias.arraySync() as number[][][][];
    expect(view[0]![0]![0]![1]! + 0).toBe(0);
    expect(view[0]![0]![0]![2]).toBe(M);
    expect(view[1]![0]![1]![2]! + 0).toBe(0);
    expect(view[1]![0]![3]![4]).toBe(M);
    tf.dispose(bias);
  });

  it('prefixLmAttentionBias accepts separators as an int32 tensor or an Int32Array', () => {
    const separators = tf.tensor1d([3, 1, 0], 'int32');
    const fromTensor = prefixLmAttentionBias(separators, 4);
    const fromTyped = prefixLmAttentionBias(Int32Array.from([3, 1, 0]), 4);
    const expected = prefixLmReference([3, 1, 0], 4);
    expect(fromTensor.shape).toEqual([3, 1, 4, 4]);
    expect(valuesOf(fromTensor)).toEqual(expected);
    expect(valuesOf(fromTyped)).toEqual(expected);
    tf.dispose([separators, fromTensor, fromTyped]);
  });

  it('prefixLmAttentionBias with sep = 0 equals the causal bias', () => {
    const prefix = prefixLmAttentionBias([0], 4);
    const causal = causalAttentionBias(4);
    expect(prefix.shape).toEqual(causal.shape);
    expect(valuesOf(prefix)).toEqual(valuesOf(causal));
    tf.dispose([prefix, causal]);
  });

  it('prefixLmAttentionBias with sep = L is fully bidirectional', () => {
    const bias = prefixLmAttentionBias([4], 4);
    expect(valuesOf(bias)).toEqual(new Array(16).fill(0));
    tf.dispose(bias);
  });

  it('combineAttentionBiases(padding, prefix) forbids a pair iff either bias forbids it, at exactly the mask bias', () => {
    const maskRows = [
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 0],
    ];
    const separators = [2, 3];
    const mask = tf.tensor2d(maskRows, [2, 5], 'int32');
    const padding = paddingAttentionBias(mask);
    const prefix = prefixLmAttentionBias(separators, 5);
    const combined = combineAttentionBiases(padding, prefix);
    expect(combined.shape).toEqual([2, 1, 5, 5]);
    expect(combined.dtype).toBe('float32');
    const expected: number[] = [];
    for (let row = 0; row < 2; row++) {
      for (let query = 0; query < 5; query++) {
        for (let key = 0; key < 5; key++) {
          const paddingAllows = maskRows[row]![key] === 1;
          const prefixAllows = key < separators[row]! || key <= query;
          expected.push(paddingAllows && prefixAllows ? 0 : M);
        }
      }
    }
    // Pairs forbidden by both are M, not 2M: the combination is a minimum, not a sum.
    expect(valuesOf(combined)).toEqual(expected);
    tf.dispose([mask, padding, prefix, combined]);
  });

  it('combineAttentionBiases of a bias with itself keeps forbidden pairs at exactly the mask bias', () => {
    const causal = causalAttentionBias(3);
    const combined = combineAttentionBiases(causal, causal, causal);
    expect(valuesOf(combined)).toEqual([0, M, M, 0, 0, M, 0, 0, 0]);
    tf.dispose([causal, combined]);
  });

  it('combineAttentionBiases of one bias returns a copy that the caller owns', () => {
    const causal = causalAttentionBias(2);
    const combined = combineAttentionBiases(causal);
    expect(combined).not.toBe(causal);
    expect(valuesOf(combined)).toEqual([0, M, 0, 0]);
    combined.dispose();
    expect(causal.isDisposed).toBe(false);
    causal.dispose();
  });

  it('gives a finite, uniform softmax for a fully padded row', () => {
    const rng = createRng(5);
    const scores = tf.tensor4d(
      Array.from({ length: 2 * 3 * 3 }, () => rng.normal()),
      [2, 1, 3, 3],
    );
    const mask = tf.tensor2d(
      [
        [1, 1, 0],
        [0, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const padding = paddingAttentionBias(mask);
    const causal = causalAttentionBias(3);
    const bias = combineAttentionBiases(padding, causal);
    const probabilities = tf.tidy(() => tf.softmax(tf.add(scores, bias)));
    const values = probabilities.dataSync();
    for (const value of values) expect(Number.isFinite(value)).toBe(true);
    // Batch row 1 is all padding: every query spreads its attention evenly over the 3 keys.
    for (const value of values.slice(9)) expect(value).toBeCloseTo(1 / 3, 6);
    // Batch row 0, query 0 attends to key 0 only; query 2 to keys 0 and 1, never to padding key 2.
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[8]).toBe(0);
    expect(values[6]! + values[7]!).toBeCloseTo(1, 6);
    tf.dispose([scores, mask, padding, causal, bias, probabilities]);
  });

  it('rejects a prefix length greater than L', () => {
    const error = errorThrownBy(() => prefixLmAttentionBias([2, 6], 5));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^prefixLmAttentionBias: argument 'separators\[1\]' is invalid.*in \[0, 5\]; received 6\./,
    );
  });

  it('rejects a negative or non-integer prefix length', () => {
    expect(() => prefixLmAttentionBias([-1, 2], 5)).toThrow(
      /argument 'separators\[0\]'.*received -1\./,
    );
    expect(() => prefixLmAttentionBias([1.5], 5)).toThrow(/separators\[0\]'.*integer/);
  });

  it('rejects a non-integer or non-positive length', () => {
    const error = errorThrownBy(() => causalAttentionBias(2.5));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^causalAttentionBias: argument 'length'.*integer.*received 2\.5/,
    );
    expect(() => causalAttentionBias(0)).toThrow(/argument 'length'.*received 0\./);
    expect(() => prefixLmAttentionBias([1], 3.5)).toThrow(
      /^prefixLmAttentionBias: argument 'length'.*received 3\.5/,
    );
  });

  it('rejects an empty separators list, and float32 separators', () => {
    const empty = errorThrownBy(() => prefixLmAttentionBias([], 3));
    expect(ShapeMismatchError.isInstance(empty)).toBe(true);
    expect(empty.message).toMatch(/argument 'separators' has the wrong shape.*at least one/);
    const floats = tf.tensor1d([1, 2]);
    const error = errorThrownBy(() => prefixLmAttentionBias(floats, 3));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'separators'.*int32.*received a float32/);
    floats.dispose();
  });

  it('rejects a padding mask that is not rank 2', () => {
    const mask = tf.tensor1d([1, 0], 'int32');
    const error = errorThrownBy(() => paddingAttentionBias(mask));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'attentionMask' has the wrong shape.*rank 2/);
    mask.dispose();
  });

  it('rejects an empty combineAttentionBiases call', () => {
    const error = errorThrownBy(() => combineAttentionBiases());
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^combineAttentionBiases: argument 'biases' is invalid.*at least one attention bias/,
    );
  });

  it('rejects an int32 bias, naming its position', () => {
    const causal = causalAttentionBias(2);
    const integers = tf.zeros([1, 1, 2, 2], 'int32');
    const error = errorThrownBy(() => combineAttentionBiases(causal, integers));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'biases\[1\]' is invalid.*float32.*received an int32/);
    tf.dispose([causal, integers]);
  });
});
