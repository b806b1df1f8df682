import { InvalidArgumentError } from '@lm-objectives/core';
import { expect } from 'vitest';

/**
 * Asserts that `action` throws an {@link InvalidArgumentError} (or a subclass) in the house format,
 * naming `argument`, and whose message contains every fragment.
 */
export function expectInvalidArgument(
  action: () => unknown,
  argument: string,
  ...fragments: string[]
): InvalidArgumentError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(
    InvalidArgumentError.isInstance(caught),
    `expected an InvalidArgumentError, got ${caught}`,
  ).toBe(true);
  const message = (caught as Error).message;
  expect(message).toContain(`argument '${argument}'`);
  expect(message).toContain('Expected ');
  expect(message).toContain('; received ');
  expect(message).toContain('Fix: ');
  for (const fragment of fragments) expect(message).toContain(fragment);
  return caught as InvalidArgumentError;
}
