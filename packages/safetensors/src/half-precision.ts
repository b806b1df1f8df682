/**
 * IEEE 754 half precision (1 sign, 5 exponent, 10 fraction bits) to a float32-representable
 * number, exactly: every float16 value, subnormals, ±Infinity and NaN included, is a float32 value.
 *
 * $x = (-1)^s \cdot 2^{e-15} \cdot (1 + f/1024)$, or $(-1)^s \cdot 2^{-14} \cdot f/1024$ when $e = 0$.
 */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const scratch = new DataView(new ArrayBuffer(4));

/**
 * bfloat16 (the upper 16 bits of a float32) to a number, exactly: shift the bits into the top half
 * of a float32.
 */
export function bfloat16BitsToNumber(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16);
  return scratch.getFloat32(0);
}

let float16Table: Float32Array | undefined;

/**
 * Every float16 bit pattern's float32 value, computed once on first use (256 KiB): upcasting a
 * tensor is then one table lookup per value.
 */
function float16Values(): Float32Array {
  if (float16Table === undefined) {
    float16Table = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) float16Table[bits] = float16BitsToNumber(bits);
  }
  return float16Table;
}

/** float16 bit patterns to their float32 values, exactly. */
export function upcastFloat16(bits: Uint16Array): Float32Array {
  const table = float16Values();
  const values = new Float32Array(bits.length);
  for (let index = 0; index < bits.length; index++) values[index] = table[bits[index]!]!;
  return values;
}

/** bfloat16 bit patterns to their float32 values, exactly: each becomes the upper half of a float32. */
export function upcastBfloat16(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let index = 0; index < bits.length; index++) words[index] = bits[index]! << 16;
  return new Float32Array(words.buffer);
}

const wordScratch = new DataView(new ArrayBuffer(4));

/** The IEEE bits of `value` rounded to float32. */
function float32Bits(value: number): number {
  wordScratch.setFloat32(0, value);
  return wordScratch.getUint32(0);
}

/**
 * A number to the bits of the nearest float16, ties to even (as PyTorch's `.half()` and NumPy's
 * `astype(float16)` round): values from 65520 up become ±Infinity, values below $2^{-14}$ become
 * subnormals (multiples of $2^{-24}$), NaN becomes a quiet NaN with the input's sign. The value is
 * first rounded to float32 (the writer's input is a `Float32Array`).
 */
export function numberToFloat16Bits(value: number): number {
  const bits = float32Bits(value);
  const sign = (bits >>> 16) & 0x8000;
  const magnitude = bits & 0x7fffffff;
  if (magnitude >= 0x7f800000) return sign | (magnitude > 0x7f800000 ? 0x7e00 : 0x7c00);
  // 65520 = 0x477ff000 is halfway between 65504 (odd fraction) and 2^16: ties round up, to ∞.
  if (magnitude >= 0x477ff000) return sign | 0x7c00;
  if (magnitude < 0x38800000) {
    // Below 2^-14: a subnormal, a count of 2^-24 (exact in float64), rounded half to even.
    const units = Math.abs(Math.fround(value)) * 2 ** 24;
    let rounded = Math.floor(units);
    const rest = units - rounded;
    if (rest > 0.5 || (rest === 0.5 && rounded % 2 === 1)) rounded++;
    return sign | rounded;
  }
  // Normal: rebias the exponent (127 → 15) and keep 10 of the 23 fraction bits, rounding the 13
  // dropped bits half to even; a carry into the exponent is the correct next binade.
  let half = (magnitude - 0x38000000) >>> 13;
  const dropped = magnitude & 0x1fff;
  if (dropped > 0x1000 || (dropped === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/**
 * A number to the bits of the nearest bfloat16 (the upper 16 bits of a float32), ties to even, as
 * PyTorch's `.bfloat16()` rounds; NaN stays a quiet NaN with its sign.
 */
export function numberToBfloat16Bits(value: number): number {
  const bits = float32Bits(value);
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) & 0x8000) | 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 values to float16 bits ({@link numberToFloat16Bits} for each). */
export function downcastFloat16(values: Float32Array): Uint16Array {
  const bits = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    bits[index] = numberToFloat16Bits(values[index]!);
  }
  return bits;
}

/** float32 values to bfloat16 bits ({@link numberToBfloat16Bits} for each). */
export function downcastBfloat16(values: Float32Array): Uint16Array {
  const bits = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    bits[index] = numberToBfloat16Bits(values[index]!);
  }
  return bits;
}
