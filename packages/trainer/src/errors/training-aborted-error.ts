import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.training-aborted';
const symbol = Symbol.for(marker);

/**
 * Training stopped because its `AbortSignal` fired. The trainer is left at the last completed step
 * (never half-way through one), so it can be checkpointed or trained further after catching this.
 */
export class TrainingAbortedError extends LmObjectivesError {
  protected readonly [symbol] = true;
  /** The number of completed steps when training stopped. */
  readonly step: number;
  /** The signal's `reason`. */
  readonly reason: unknown;

  constructor(step: number, reason: unknown) {
    super(`train: aborted after step ${step} (${describeReason(reason)}).`, { cause: reason });
    this.name = 'TrainingAbortedError';
    this.step = step;
    this.reason = reason;
  }

  /** Whether `error` is a {@link TrainingAbortedError} from any copy of this package. */
  static override isInstance(error: unknown): error is TrainingAbortedError {
    return hasMarker(error, marker);
  }
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message || reason.name;
  return reason === undefined ? 'no reason given' : String(reason);
}
