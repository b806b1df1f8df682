/**
 * Whether two float32-computed values agree: $|a - b| \le \mathrm{tolerance}\cdot\max(|a|, |b|) + 10^{-7}$
 * (the absolute floor absorbs float32 rounding of values near zero).
 */
export function closeEnough(actual: number, expected: number, tolerance: number): boolean {
  return (
    Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-7
  );
}

/** A number for messages: six significant digits. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

/** The Euclidean norm of `values`, accumulated in float64. */
export function euclideanNorm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += (values[index] as number) ** 2;
  return Math.sqrt(sum);
}
