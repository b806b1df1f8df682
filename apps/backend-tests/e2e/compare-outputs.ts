import type { CaseResult } from '../src/page/run-case';

/** How one output of a case differs between two backends. */
export interface OutputAgreement {
  readonly output: string;
  /** $\max_i |a_i - b_i|$. */
  readonly maxAbsoluteError: number;
  /**
   * $\max_i |a_i - b_i| / \max(\max_i |b_i|, 10^{-3} s)$, where $s$ is the largest reference
   * magnitude of the whole case: relative to the output's largest value, except for outputs that
   * are zero up to rounding (the gradient of a key bias is exactly zero in theory, since softmax
   * ignores a constant added to every key's score), which are compared at a thousandth of the case's scale.
   */
  readonly maxRelativeError: number;
}

/** The floor of an output's scale, as a fraction of the case's largest reference magnitude. */
const CASE_SCALE_FLOOR = 1e-3;

/**
 * Compares every output of `actual` with `reference` (same names, same shapes), each as the error
 * relative to the largest reference magnitude: a gradient's tiny entries are compared at the
 * scale of the whole tensor, as float32 arithmetic in a different order can only promise.
 */
export function compareOutputs(actual: CaseResult, reference: CaseResult): OutputAgreement[] {
  const names = Object.keys(reference.outputs);
  const missing = names.filter((name) => !(name in actual.outputs));
  const extra = Object.keys(actual.outputs).filter((name) => !(name in reference.outputs));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `outputs differ: missing on ${actual.backend}: [${missing.join(', ')}], only on ${actual.backend}: [${extra.join(', ')}]`,
    );
  }
  let caseScale = 0;
  for (const name of names) {
    for (const value of reference.outputs[name]!.values) {
      caseScale = Math.max(caseScale, Math.abs(value));
    }
  }
  const floor = Math.max(CASE_SCALE_FLOOR * caseScale, Number.MIN_VALUE);
  return names.map((name) => {
    const expected = reference.outputs[name]!;
    const received = actual.outputs[name]!;
    if (expected.shape.join() !== received.shape.join()) {
      throw new Error(
        `${name}: shape [${received.shape.join(', ')}] on ${actual.backend}, [${expected.shape.join(', ')}] on ${reference.backend}`,
      );
    }
    let largest = floor;
    let worst = 0;
    expected.values.forEach((value, index) => {
      largest = Math.max(largest, Math.abs(value));
      const difference = Math.abs(received.values[index]! - value);
      // NaN on either side is a failure: make it the worst error.
      worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : Math.max(worst, difference);
    });
    return { output: name, maxAbsoluteError: worst, maxRelativeError: worst / largest };
  });
}
