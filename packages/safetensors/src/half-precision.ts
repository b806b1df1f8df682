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
