import { describeValue } from './describe-value';
import { hasMarker, LmObjectivesError } from './lm-objectives-error';

const marker = 'lm-objectives.error.invalid-argument';
const symbol = Symbol.for(marker);

/** What went wrong with an argument, in the words the error message is built from. */
export interface ArgumentProblem {
  /** The public function that received the argument, e.g. `'crossEntropy'`. */
  functionName: string;
  /** The argument's name, with a path into options where it helps, e.g. `'options.ignoreIndex'`. */
  argumentName: string;
  /** What would have been accepted, e.g. `'an integer in [0, 32000)'`. */
  expected: string;
  /** The value that was received; it is described in the message, never serialised whole. */
  received: unknown;
  /** How to fix the call. */
  fix: string;
  /** An optional description of the received value that replaces the automatic one. */
  receivedDescription?: string;
}

/**
 * Builds the one message format every argument error uses:
 * `fn: argument 'arg' is invalid. Expected …; received …. Fix: …`.
 */
export function formatArgumentProblem(problem: ArgumentProblem, kind = 'is invalid'): string {
  const received = problem.receivedDescription ?? describeValue(problem.received);
  return `${problem.functionName}: argument '${problem.argumentName}' ${kind}. Expected ${problem.expected}; received ${received}. Fix: ${problem.fix}`;
}

/**
 * A public function received an argument it cannot use: wrong type, out of range, inconsistent
 * with another argument. The message names the function, the argument, what was expected, what
 * was received and how to fix the call; the same facts are fields for programs.
 */
export class InvalidArgumentError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly functionName: string;
  readonly argumentName: string;
  readonly expected: string;
  readonly received: unknown;
  readonly fix: string;

  constructor(problem: ArgumentProblem, options?: { cause?: unknown; message?: string }) {
    super(options?.message ?? formatArgumentProblem(problem), options);
    this.name = 'InvalidArgumentError';
    this.functionName = problem.functionName;
    this.argumentName = problem.argumentName;
    this.expected = problem.expected;
    this.received = problem.received;
    this.fix = problem.fix;
  }

  /** Whether `error` is an {@link InvalidArgumentError} (or a subclass) from any copy of this package. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasMarker(error, marker);
  }
}
