import type { SafetensorsDtype } from './dtypes';

/**
 * The typed array a dtype reads into: float32 for `F32`, `F16` and `BF16` (the half-precision types
 * are upcast exactly), float64 for `F64`, `BigInt64Array` / `BigUint64Array` for `I64` / `U64`
 * (JavaScript numbers cannot hold every 64-bit integer), the matching integer array otherwise, and
 * `Uint8Array` (0 or 1) for `BOOL`.
 */
export type SafetensorsData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One tensor of a safetensors file: its stored dtype, its shape, and its values in row-major order. */
export interface SafetensorsTensor {
  /** The dtype stored in the file (a read `F16` tensor keeps `'F16'` here; its `data` is float32). */
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: SafetensorsData;
}

/**
 * A tensor to write: `data` must be the typed array {@link SafetensorsData} names for `dtype`,
 * except that `F16` and `BF16` take their raw bits as a `Uint16Array`, or float32 values as a
 * `Float32Array`, rounded to the nearest half-precision value (ties to even, as PyTorch's
 * `.half()` / `.bfloat16()`).
 */
export interface SafetensorsTensorInput {
  /** Default `'F32'`. */
  readonly dtype?: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: SafetensorsData;
}

/** The number of elements of a shape ($\prod_i d_i$; 1 for a scalar `[]`). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dimension of shape) count *= dimension;
  return count;
}
