import * as tf from '@tensorflow/tfjs-core';

/** Rows up to this length are summed directly. */
const DIRECT_LENGTH = 64;

/**
 * The block length for summing `length` values in blocks: the divisor of `length` in [16, 128]
 * nearest to 32 when there is one (the rows then reshape without a copy), else 32; 0 when the
 * row is short enough to sum directly.
 */
export function sumBlockLength(length: number): number {
  if (length <= DIRECT_LENGTH) return 0;
  for (let offset = 0; offset <= 96; offset++) {
    for (const candidate of [32 - offset, 32 + offset]) {
      if (candidate >= 16 && candidate <= 128 && length % candidate === 0) return candidate;
    }
  }
  return 32;
}

/**
 * Row sums of `values` `[n, V]`, summed in blocks of about 32 entries, then the block sums the
 * same way (a tree of about $\log_{32} V$ levels), so that float32 rounding stays within a few
 * ulps at any $V$. The wasm backend's `sum` keeps one float32 running total per row: at
 * $V = 32000$ its relative error reaches 5e-6 (≈ 40 ulps), which would put every softmax
 * probability that far off.
 */
export function rowSum(values: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [rows, length] = values.shape;
    const block = sumBlockLength(length);
    if (block === 0) return tf.sum(values, 1) as tf.Tensor1D;
    const blocks = Math.floor(length / block);
    const covered = blocks * block;
    const head = covered === length ? values : tf.slice(values, [0, 0], [rows, covered]);
    const blockSums = tf.sum(tf.reshape(head, [rows, blocks, block]), 2) as tf.Tensor2D;
    const total = rowSum(blockSums);
    if (covered === length) return total;
    const tail = tf.sum(tf.slice(values, [0, covered], [rows, length - covered]), 1);
    return tf.add(total, tail) as tf.Tensor1D;
  });
}
