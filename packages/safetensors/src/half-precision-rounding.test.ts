import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToNumber,
  downcastBfloat16,
  downcastFloat16,
  float16BitsToNumber,
  numberToBfloat16Bits,
  numberToFloat16Bits,
} from './half-precision';

interface RoundingCases {
  float32Bits: number[];
  float16Bits: number[];
  bfloat16Bits: number[];
}

const cases = JSON.parse(
  readFileSync(new URL('./__fixtures__/rounding.golden.json', import.meta.url), 'utf8'),
) as RoundingCases;
const values = new Float32Array(Uint32Array.from(cases.float32Bits).buffer);

describe('half-precision encoding', () => {
  it('rounds float32 to float16 bit for bit as PyTorch does (ties to even, overflow, subnormals)', () => {
    expect(values.length).toBeGreaterThan(200);
    expect(Array.from(downcastFloat16(values))).toEqual(cases.float16Bits);
  });

  it('rounds float32 to bfloat16 bit for bit as PyTorch does', () => {
    expect(Array.from(downcastBfloat16(values))).toEqual(cases.bfloat16Bits);
  });

  it('keeps NaN a NaN with its sign, and breaks the named ties to even', () => {
    expect(float16BitsToNumber(numberToFloat16Bits(Number.NaN))).toBeNaN();
    expect(bfloat16BitsToNumber(numberToBfloat16Bits(Number.NaN))).toBeNaN();
    expect(numberToFloat16Bits(-Number.NaN) & 0x7c00).toBe(0x7c00);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: to the even one, 1.
    expect(numberToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(numberToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(numberToFloat16Bits(65520)).toBe(0x7c00);
    expect(numberToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(numberToFloat16Bits(2 ** -25)).toBe(0x0000);
    expect(numberToFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
  });

  it('round-trips every float16 and every bfloat16 value exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const half = float16BitsToNumber(bits);
      if (!Number.isNaN(half)) expect(numberToFloat16Bits(half)).toBe(bits);
      const brain = bfloat16BitsToNumber(bits);
      if (!Number.isNaN(brain)) expect(numberToBfloat16Bits(brain)).toBe(bits);
    }
  });
});
