/**
 * The transpose of a row-major `[rows, columns]` matrix, as a new row-major `[columns, rows]`
 * Float32Array. PyTorch's `Linear` stores weights `[out, in]` while this package stores
 * `[in, out]`, so every value crossing between them goes through here.
 */
export function transposeMatrix(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
): Float32Array {
  const transposed = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      transposed[column * rows + row] = values[row * columns + column]!;
    }
  }
  return transposed;
}
