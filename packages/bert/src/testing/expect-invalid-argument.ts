// Test helpers shared by this package's suites (not exported from the package).
import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { expect } from 'vitest';

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
 * Asserts that `action` throws an {@link InvalidArgumentError} (a {@link ShapeMismatchError} when
 * `kind` says so) from `functionName` about `argumentName`, in the house format
 * `fn: argument 'x' … Expected …; received …. Fix: …`, containing every fragment.
 */
export function expectInvalidArgument(
  action: () => unknown,
  functionName: string,
  argumentName: string,
  fragments: readonly string[] = [],
  kind: 'invalid' | 'shape' = 'invalid',
): InvalidArgumentError {
  const error = thrownBy(action);
  expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
  if (kind === 'shape') expect(ShapeMismatchError.isInstance(error), String(error)).toBe(true);
  const invalid = error as InvalidArgumentError;
  expect(invalid.functionName).toBe(functionName);
  expect(invalid.argumentName).toBe(argumentName);
  expect(invalid.message).toContain(`${functionName}: argument '${argumentName}'`);
  expect(invalid.message).toContain('Expected ');
  expect(invalid.message).toContain('; received ');
  expect(invalid.message).toContain('Fix: ');
  for (const fragment of fragments) expect(invalid.message).toContain(fragment);
  return invalid;
}
