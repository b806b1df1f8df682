const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

/**
 * The IEEE 754 half-precision bit pattern nearest to `value` (rounded to nearest, ties to even;
 * overflow gives ±∞, NaN stays NaN): how the demo's checkpoints store weights at half the size.
 * The value is first rounded to single precision, as the weights already are.
 */
export function float16Bits(value: number): number {
  float32[0] = value;
  const bits = float32Bits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  // The half-precision exponent, and how many low bits of the 24-bit significand are dropped.
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  const significand = exponent === 0 ? mantissa : mantissa | 0x800000;
  const shift = halfExponent > 0 ? 13 : 14 - halfExponent;
  if (shift > 24) return sign;
  const kept = significand >>> shift;
  const dropped = significand & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const rounded = dropped > half || (dropped === half && (kept & 1) === 1) ? kept + 1 : kept;
  // A normal number keeps its exponent field; a carry out of the mantissa bumps it (up to ∞).
  return halfExponent > 0 ? sign | ((halfExponent << 10) + (rounded - 0x400)) : sign | rounded;
}

/** {@link float16Bits} of every element. */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) bits[index] = float16Bits(values[index]!);
  return bits;
}
