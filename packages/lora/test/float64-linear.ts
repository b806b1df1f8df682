// An independent float64 reference for adapted linears: y = x (W + s·A·B) + b, computed with plain
// loops over row-major arrays (no tfjs), so that tests compare the tensor code with arithmetic it
// does not share.

/** $y = x\,(W + s\,AB) + b$ in float64, for `x` `[rows, in]`, `W` `[in, out]`, `A` `[in, r]`, `B` `[r, out]`. */
export function adaptedLinearFloat64(
  x: ArrayLike<number>,
  rows: number,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
  inputs: number,
  outputs: number,
  update?: { a: ArrayLike<number>; b: ArrayLike<number>; rank: number; scaling: number },
): Float64Array {
  const weight = Float64Array.from(kernel as ArrayLike<number>);
  if (update) {
    const { a, b, rank, scaling } = update;
    for (let i = 0; i < inputs; i++) {
      for (let j = 0; j < outputs; j++) {
        let sum = 0;
        for (let k = 0; k < rank; k++) sum += a[i * rank + k]! * b[k * outputs + j]!;
        weight[i * outputs + j]! += scaling * sum;
      }
    }
  }
  const y = new Float64Array(rows * outputs);
  for (let row = 0; row < rows; row++) {
    for (let j = 0; j < outputs; j++) {
      let sum = bias ? bias[j]! : 0;
      for (let i = 0; i < inputs; i++) sum += x[row * inputs + i]! * weight[i * outputs + j]!;
      y[row * outputs + j] = sum;
    }
  }
  return y;
}
