import { LmObjectivesError } from '@lm-objectives/core';
import { hasMarker } from '../internal/has-marker';

const marker = 'lm-objectives.error.non-finite-step';
const symbol = Symbol.for(marker);

/**
 * A step's loss or global gradient norm was `NaN` or infinite. The update was **not** applied, so
 * the weights are still finite: lower the learning rate, check the data, or resume from a
 * checkpoint. (Pass `nonFinite: 'skip-step'` to skip such steps instead.)
 */
export class NonFiniteStepError extends LmObjectivesError {
  protected readonly [symbol] = true;
  readonly step: number;
  readonly loss: number;
  readonly gradientNorm: number;

  constructor(step: number, loss: number, gradientNorm: number) {
    super(
      `trainStep: step ${step} gave loss ${loss} and gradient norm ${gradientNorm}; the update was not applied. Fix: lower the learning rate or enable clipping (maxGradientNorm), check the batch for invalid labels or weights, or pass nonFinite: 'skip-step' to skip such steps.`,
    );
    this.name = 'NonFiniteStepError';
    this.step = step;
    this.loss = loss;
    this.gradientNorm = gradientNorm;
  }

  /** Whether `error` is a {@link NonFiniteStepError} from any copy of this package. */
  static override isInstance(error: unknown): error is NonFiniteStepError {
    return hasMarker(error, marker);
  }
}
