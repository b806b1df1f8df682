import { InvalidArgumentError } from './invalid-argument-error';
import { ShapeMismatchError } from './shape-mismatch-error';

/**
 * Runs `call`, and if it throws an argument error from a function the caller never called
 * directly, rethrows the same kind of error naming `functionName` and the caller's own argument
 * path (`argumentPaths` maps an inner argument name, whole or by its first segment, e.g. `logits` →
 * `scores.logits`), so that every message names what the user actually passed.
 */
export function reattributeArgumentErrors<Result>(
  functionName: string,
  argumentPaths: Readonly<Record<string, string>>,
  call: () => Result,
): Result {
  try {
    return call();
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    const [head = '', ...rest] = error.argumentName.split(/(?=[.[ ])/);
    const whole = argumentPaths[error.argumentName];
    const byHead = argumentPaths[head];
    const argumentName =
      whole ?? (byHead === undefined ? error.argumentName : [byHead, ...rest].join(''));
    const problem = {
      functionName,
      argumentName,
      expected: error.expected,
      received: error.received,
      fix: error.fix,
    };
    const ErrorClass = ShapeMismatchError.isInstance(error)
      ? ShapeMismatchError
      : InvalidArgumentError;
    throw new ErrorClass(problem, { cause: error });
  }
}
