import { createRng } from '@lm-objectives/core';
import { float16BitsToNumber } from '@lm-objectives/safetensors';
import { describe, expect, it } from 'vitest';
import { float16Bits, toFloat16Bits } from './float16-bits';

describe('float16Bits', () => {
  it('encodes the worked examples of IEEE 754 half precision', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // the largest finite half
      [65520, 0x7c00], // halfway to 2^16 rounds up to infinity
      [2 ** -14, 0x0400], // the smallest normal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even (zero)
      [3 * 2 ** -25, 0x0002], // halfway between subnormals 1 and 2: ties to even (2)
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and its successor: ties to even (1)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between successors 1 and 2: ties to even (2)
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [1e-10, 0x0000],
    ];
    for (const [value, bits] of cases) expect(float16Bits(value), String(value)).toBe(bits);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(Number.NaN) & 0x03ff).not.toBe(0);
  });

  it('gives the nearest half for random weights, checked against the decoder of @lm-objectives/safetensors', () => {
    const random = createRng(7);
    const values = Float32Array.from({ length: 20_000 }, (_, index) => {
      const scale = 10 ** ((index % 12) - 8); // 1e-8 … 1e3: subnormals to large weights
      return (random.uniform() * 2 - 1) * scale;
    });
    const bits = toFloat16Bits(values);
    const notNearest = Array.from(values).filter((value, index) => {
      const encoded = bits[index]!;
      const error = Math.abs(float16BitsToNumber(encoded) - value);
      // A neighbouring half pattern of the same sign that is closer would be a rounding error.
      return [encoded - 1, encoded + 1].some(
        (neighbour) =>
          (neighbour & 0x8000) === (encoded & 0x8000) &&
          (neighbour & 0x7fff) < 0x7c00 &&
          Math.abs(float16BitsToNumber(neighbour) - value) < error,
      );
    });
    expect(notNearest).toEqual([]);
  });
});
