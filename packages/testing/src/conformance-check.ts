import type { ConformanceCheckId } from './conformance-types';
import type { CheckContext } from './internal/check-context';

/**
 * One check of the conformance suite. `run` returns normally when the objective passes (optionally
 * with a note), and throws through `fail` (or `ConformanceSkip`) otherwise.
 */
export interface ConformanceCheck {
  readonly id: ConformanceCheckId;
  /** What the check verifies, as a sentence. */
  readonly title: string;
  /** Runs the check; returns an optional note on success and throws (through `fail`) on failure. */
  run(context: CheckContext): string | undefined;
}
