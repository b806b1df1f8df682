import { expect } from 'vitest';

/**
 * The fields of lm-objectives' argument errors that tests read. Matched structurally (and by the
 * errors' `Symbol.for` markers), so this package does not depend on `@lm-objectives/core`, which
 * uses it in its own tests.
 */
export interface ArgumentErrorLike extends Error {
  readonly functionName: string;
  readonly argumentName: string;
  readonly expected: string;
  readonly received: unknown;
  readonly fix: string;
}

function hasMarker(value: unknown, marker: string): boolean {
  return (
    value != null &&
    typeof value === 'object' &&
    (value as Record<symbol, unknown>)[Symbol.for(marker)] === true
  );
}

/** Runs `action`, which must throw, and returns what it threw. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/**
 * Asserts that `action` throws an `InvalidArgumentError` (a `ShapeMismatchError` when `kind` is
 * `'shape'`) from `functionName` about `argumentName`, in the house format
 * `fn: argument 'x' … Expected …; received …. Fix: …`, containing every fragment; returns it.
 */
export function expectInvalidArgument(
  action: () => unknown,
  functionName: string,
  argumentName: string,
  fragments: readonly string[] = [],
  kind: 'invalid' | 'shape' = 'invalid',
): ArgumentErrorLike {
  const error = thrownBy(action);
  expect(hasMarker(error, 'lm-objectives.error.invalid-argument'), String(error)).toBe(true);
  if (kind === 'shape')
    expect(hasMarker(error, 'lm-objectives.error.shape-mismatch'), String(error)).toBe(true);
  const invalid = error as ArgumentErrorLike;
  expect(invalid.functionName).toBe(functionName);
  expect(invalid.argumentName).toBe(argumentName);
  expect(invalid.message).toContain(`${functionName}: argument '${argumentName}'`);
  expect(invalid.message).toContain('Expected ');
  expect(invalid.message).toContain('; received ');
  expect(invalid.message).toContain('Fix: ');
  for (const fragment of fragments) expect(invalid.message).toContain(fragment);
  return invalid;
}
