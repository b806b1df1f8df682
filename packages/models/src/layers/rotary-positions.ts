import * as tf from '@tensorflow/tfjs-core';

/** The cosines and sines of every position's rotation angles. */
export interface RotaryTables {
  /** float32 `[B|1, 1, L, d]`: $\cos(p\,\omega_{i \bmod d/2})$. */
  readonly cos: tf.Tensor;
  /** float32 `[B|1, 1, L, d]`: $\sin(p\,\omega_{i \bmod d/2})$. */
  readonly sin: tf.Tensor;
}

/**
 * The rotary tables for given positions, in Hugging Face's layout: frequencies
 * $\omega_i = \theta^{-2i/d}$ for $i < d/2$, angles $p\,\omega_i$ repeated once
 * (`cat(freqs, freqs)`), so dimension $i$ and $i + d/2$ share an angle. Computed in float64 on the
 * CPU and rounded once, so every backend rotates by the same numbers.
 *
 * @param positions `[B][L]` position ids, or one row `[L]` shared by the batch.
 * @param headSize $d$, even.
 * @returns float32 tables `[B|1, 1, L, d]`; the caller owns them.
 */
export function rotaryTables(
  positions: readonly (readonly number[])[] | readonly number[],
  headSize: number,
  theta: number,
): RotaryTables {
  const rows = (
    typeof positions[0] === 'number' ? [positions] : positions
  ) as readonly (readonly number[])[];
  const length = rows[0]!.length;
  const half = headSize / 2;
  const cos = new Float32Array(rows.length * length * headSize);
  const sin = new Float32Array(cos.length);
  const frequencies = Array.from(
    { length: half },
    (_, index) => theta ** (-(2 * index) / headSize),
  );
  rows.forEach((row, rowIndex) => {
    row.forEach((position, column) => {
      const offset = (rowIndex * length + column) * headSize;
      for (let index = 0; index < half; index++) {
        // HF computes the angle in float32 (inv_freq is float32); float64 differs by < 1 ulp of the angle.
        const angle = position * frequencies[index]!;
        cos[offset + index] = cos[offset + index + half] = Math.cos(angle);
        sin[offset + index] = sin[offset + index + half] = Math.sin(angle);
      }
    });
  });
  const shape = [rows.length, 1, length, headSize];
  return { cos: tf.tensor(cos, shape, 'float32'), sin: tf.tensor(sin, shape, 'float32') };
}

/**
 * Rotates queries or keys by their positions, in the rotate-half convention:
 * $x' = x \odot \cos + \mathrm{rotateHalf}(x) \odot \sin$ with
 * $\mathrm{rotateHalf}([x_1, x_2]) = [-x_2, x_1]$ on the two halves of the head dimension.
 *
 * @param x float32 `[B, heads, L, d]`.
 * @returns float32 `[B, heads, L, d]`; the caller owns it.
 */
export function applyRotary(x: tf.Tensor4D, tables: RotaryTables): tf.Tensor4D {
  return tf.tidy(() => {
    const half = x.shape[3] / 2;
    const [first, second] = tf.split(x, [half, half], 3);
    const rotated = tf.concat([tf.neg(second!), first!], 3);
    return tf.add(tf.mul(x, tables.cos), tf.mul(rotated, tables.sin)) as tf.Tensor4D;
  });
}
