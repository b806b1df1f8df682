import { readFileSync } from 'node:fs';

/** An array as stored in the golden JSON fixtures: little-endian raw bytes in base64. */
export interface EncodedArray {
  dtype: 'float32' | 'float64' | 'int32';
  shape: number[];
  base64: string;
}

const ARRAY_TYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** Decodes an {@link EncodedArray} to its typed array (a copy, correctly aligned). */
export function decodeArray(encoded: EncodedArray): Float32Array | Float64Array | Int32Array {
  const bytes = Buffer.from(encoded.base64, 'base64');
  const ArrayType = ARRAY_TYPES[encoded.dtype];
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const values = new ArrayType(copy.buffer);
  const expectedLength = encoded.shape.reduce((product, size) => product * size, 1);
  if (values.length !== expectedLength)
    throw new Error(`fixture array has ${values.length} values, shape says ${expectedLength}`);
  return values;
}

/** Reads a golden fixture JSON file written by `scripts/golden/generate_core_fixtures.py`. */
export function readGolden<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}
