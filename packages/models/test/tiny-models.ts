// Tiny models and inputs shared by the test suites (small enough for the cpu backend).
import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { createBertEncoder } from '../src/models/create-bert-encoder';
import { createCausalDecoder } from '../src/models/create-causal-decoder';
import { createGlmEncoder } from '../src/models/create-glm-encoder';
import { createLlamaDecoder } from '../src/models/create-llama-decoder';
import type { TransformerConfig } from '../src/models/transformer-config';

/** V = 17, H = 16, 4 heads of 4, 2 layers, feed-forward 32, 16 positions. */
export const TINY: TransformerConfig = {
  vocabularySize: 17,
  hiddenSize: 16,
  numHeads: 4,
  numLayers: 2,
  intermediateSize: 32,
  maxPositions: 16,
};

export const tinyBert = (extra: Partial<Parameters<typeof createBertEncoder>[0]> = {}) =>
  createBertEncoder({ ...TINY, ...extra });
export const tinyGlm = (extra: Partial<Parameters<typeof createGlmEncoder>[0]> = {}) =>
  createGlmEncoder({ ...TINY, ...extra });
export const tinyDecoder = (extra: Partial<TransformerConfig> = {}) =>
  createCausalDecoder({ ...TINY, ...extra });

/** int32 `[rows.length, rows[0].length]` from nested arrays. */
export const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');

/** `0 … length-1` for every row. */
export const positions = (batchSize: number, length: number) =>
  ids(Array.from({ length: batchSize }, () => Array.from({ length }, (_, index) => index)));

/** Largest |a − b| over the positions `[from, to)` of the sequence axis of two `[B, L, H]` tensors. */
export function maxDifferenceAt(
  a: tf.Tensor,
  b: tf.Tensor,
  from: number,
  to: number,
  row = -1,
): number {
  return tf.tidy(() => {
    const [batchSize, , hiddenSize] = a.shape as [number, number, number];
    const begin = [Math.max(row, 0), from, 0];
    const size = [row < 0 ? batchSize : 1, to - from, hiddenSize];
    return tf
      .max(tf.abs(tf.sub(tf.slice(a, begin, size), tf.slice(b, begin, size))))
      .dataSync()[0]!;
  });
}

/** A float32 tensor of standard normal values from core's seeded random source. */
export function normalTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const random = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => scale * random.normal()),
    shape,
    'float32',
  );
}

/** A tiny Llama decoder: the TINY sizes with 2 key/value heads (grouped-query attention), untied head. */
export const tinyLlama = (extra: Partial<Parameters<typeof createLlamaDecoder>[0]> = {}) =>
  createLlamaDecoder({ ...TINY, numKeyValueHeads: 2, ...extra });
