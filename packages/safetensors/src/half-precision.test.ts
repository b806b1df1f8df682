import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToNumber,
  float16BitsToNumber,
  upcastBfloat16,
  upcastFloat16,
} from './half-precision';

describe('half-precision decoding', () => {
  it('decodes float16 normals, subnormals, signed zeros, infinities and NaN exactly', () => {
    expect(float16BitsToNumber(0x3c00)).toBe(1);
    expect(float16BitsToNumber(0xc000)).toBe(-2);
    expect(float16BitsToNumber(0x7bff)).toBe(65504);
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x03ff)).toBe(2 ** -14 * (1023 / 1024));
    expect(float16BitsToNumber(0x0400)).toBe(2 ** -14);
    expect(Object.is(float16BitsToNumber(0x8000), -0)).toBe(true);
    expect(float16BitsToNumber(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(float16BitsToNumber(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(float16BitsToNumber(0x7e00)).toBeNaN();
    expect(float16BitsToNumber(0x3555)).toBe(0.333251953125);
  });

  it('gives every float16 value a float32 that round-trips (the upcast loses nothing)', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16BitsToNumber(bits);
      if (!Number.isNaN(value)) expect(Math.fround(value)).toBe(value);
    }
  });

  it('decodes bfloat16 as the upper half of a float32', () => {
    expect(bfloat16BitsToNumber(0x3f80)).toBe(1);
    expect(bfloat16BitsToNumber(0xc049)).toBe(-3.140625);
    expect(bfloat16BitsToNumber(0x7f80)).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(bfloat16BitsToNumber(0x8000), -0)).toBe(true);
    expect(bfloat16BitsToNumber(0x7fc0)).toBeNaN();
  });
});

describe('bulk upcasts', () => {
  it('agree with the per-value decoders on every bit pattern', () => {
    const bits = Uint16Array.from({ length: 0x10000 }, (_, index) => index);
    const half = upcastFloat16(bits);
    const brain = upcastBfloat16(bits);
    for (let index = 0; index < 0x10000; index++) {
      expect(
        Object.is(half[index], Math.fround(float16BitsToNumber(index))) ||
          Number.isNaN(half[index]!),
      ).toBe(true);
      expect(
        Object.is(brain[index], bfloat16BitsToNumber(index)) || Number.isNaN(brain[index]!),
      ).toBe(true);
    }
  });
});
