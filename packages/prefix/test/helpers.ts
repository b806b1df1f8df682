// Shared helpers of this package's tests.
import { type CausalDecoder, createCausalDecoder } from '@lm-objectives/models';
import { decodeArray, type EncodedArray } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';

/** A tiny causal decoder: V = 13, H = 8, 2 layers, 2 heads (head size 4). */
export function tinyDecoder(
  seed = 1,
  overrides: Record<string, number | string> = {},
): CausalDecoder {
  return createCausalDecoder({
    vocabularySize: 13,
    hiddenSize: 8,
    numLayers: 2,
    numHeads: 2,
    maxPositions: 16,
    seed,
    ...overrides,
  });
}

/** An int32 `[B, L]` tensor of token ids (or a mask). */
export function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
}

/** A copy of a tensor's values. */
export function valuesOf(tensor: tf.Tensor): Float32Array {
  return Float32Array.from(tensor.dataSync() as Float32Array);
}

/** Whether two float arrays are bit-for-bit identical. */
export function bitIdentical(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const left = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const right = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return left.every((value, index) => value === right[index]);
}

/** Largest |a − b| of two tensors (read synchronously). */
export function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** A tensor from a golden fixture array (float64 values are rounded to float32). */
export function tensorOf(encoded: EncodedArray): tf.Tensor {
  const values = decodeArray(encoded);
  return encoded.dtype === 'int32'
    ? tf.tensor(values as Int32Array, encoded.shape, 'int32')
    : tf.tensor(Float32Array.from(values), encoded.shape, 'float32');
}

/** Sets a variable to the values of a fixture array. */
export function assignFrom(variable: tf.Variable, encoded: EncodedArray): void {
  const value = tensorOf(encoded);
  variable.assign(value);
  value.dispose();
}
