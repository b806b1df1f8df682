/**
 * How one of our weights is read out of a Hugging Face tensor:
 * - `'copy'`: the same values and shape;
 * - `'transpose'`: PyTorch's `nn.Linear` stores $W^\top$ `[out, in]`, we store $W$ `[in, out]`;
 * - `'columns'`: a block of the last axis, `[..., begin : begin + size]` (GPT-2's fused `c_attn`
 *   holds the query, key and value kernels side by side, `[H, 3H]`, and their biases, `[3H]`).
 */
export type TensorConversion =
  | { readonly kind: 'copy' }
  | { readonly kind: 'transpose' }
  | { readonly kind: 'columns'; readonly begin: number; readonly size: number };

/** One Hugging Face tensor and the weights of ours it holds. */
export interface TensorMapping {
  /** Hugging Face's name, e.g. `'transformer.h.0.attn.c_attn.weight'`. */
  readonly name: string;
  /** Hugging Face's shape, e.g. `[768, 2304]`. */
  readonly shape: readonly number[];
  /** Our weights read from it (several for a fused tensor). */
  readonly parts: readonly { readonly weight: string; readonly conversion: TensorConversion }[];
}

/** One weight mapped to one tensor. @internal */
export function direct(
  name: string,
  shape: readonly number[],
  weight: string,
  conversion: TensorConversion['kind'] & ('copy' | 'transpose') = 'copy',
): TensorMapping {
  return { name, shape, parts: [{ weight, conversion: { kind: conversion } }] };
}

/** The shape of our weight, given the Hugging Face tensor's shape. @internal */
export function convertedShape(shape: readonly number[], conversion: TensorConversion): number[] {
  if (conversion.kind === 'transpose') return [shape[1]!, shape[0]!];
  if (conversion.kind === 'columns') return [...shape.slice(0, -1), conversion.size];
  return [...shape];
}

/**
 * Reads one of our weights out of a Hugging Face tensor's row-major values (see
 * {@link TensorConversion}).
 *
 * @internal
 */
export function toOurLayout(
  data: Float32Array,
  shape: readonly number[],
  conversion: TensorConversion,
): Float32Array {
  if (conversion.kind === 'copy') return data;
  if (conversion.kind === 'transpose') return transposed(data, shape[0]!, shape[1]!);
  const columns = shape[shape.length - 1]!;
  const rows = data.length / columns;
  const result = new Float32Array(rows * conversion.size);
  for (let row = 0; row < rows; row++) {
    const from = row * columns + conversion.begin;
    result.set(data.subarray(from, from + conversion.size), row * conversion.size);
  }
  return result;
}

/**
 * The inverse of {@link toOurLayout}: writes our weight's values into the Hugging Face tensor
 * `target` (row-major, of the mapping's shape).
 *
 * @internal
 */
export function writeHuggingFaceLayout(
  target: Float32Array,
  shape: readonly number[],
  values: Float32Array,
  conversion: TensorConversion,
): void {
  if (conversion.kind === 'copy') target.set(values);
  else if (conversion.kind === 'transpose') target.set(transposed(values, shape[1]!, shape[0]!));
  else {
    const columns = shape[shape.length - 1]!;
    const rows = target.length / columns;
    for (let row = 0; row < rows; row++) {
      const from = row * conversion.size;
      target.set(values.subarray(from, from + conversion.size), row * columns + conversion.begin);
    }
  }
}

/** $A^\top$ of a row-major `[rows, columns]` matrix. */
function transposed(data: Float32Array, rows: number, columns: number): Float32Array {
  const result = new Float32Array(data.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      result[column * rows + row] = data[row * columns + column]!;
    }
  }
  return result;
}
