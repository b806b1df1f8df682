import {
  type ArgumentProblem,
  formatArgumentProblem,
  InvalidArgumentError,
} from './invalid-argument-error';
import { hasMarker } from './lm-objectives-error';

const marker = 'lm-objectives.error.shape-mismatch';
const symbol = Symbol.for(marker);

/**
 * A tensor or array argument has a shape that does not fit the function or the other arguments
 * (labels whose shape is not the logits' leading shape, a kernel whose input size is not the
 * input's last dimension, …). It is also an {@link InvalidArgumentError}, so code that handles
 * bad arguments in general catches it too.
 */
export class ShapeMismatchError extends InvalidArgumentError {
  protected readonly [symbol] = true;

  constructor(problem: ArgumentProblem, options?: { cause?: unknown }) {
    super(problem, { ...options, message: formatArgumentProblem(problem, 'has the wrong shape') });
    this.name = 'ShapeMismatchError';
  }

  /** Whether `error` is a {@link ShapeMismatchError} from any copy of this package. */
  static override isInstance(error: unknown): error is ShapeMismatchError {
    return hasMarker(error, marker);
  }
}
