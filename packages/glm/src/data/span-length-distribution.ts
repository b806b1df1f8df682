import { checkFiniteNumber, checkInteger, type RandomSource } from '@lm-objectives/core';

/**
 * The distribution of blanked span lengths: a Poisson distribution with mean $\lambda$ restricted
 * to $1 \dots \mathrm{maxLength}$ and renormalised,
 * $$P(\ell = k) = \frac{\lambda^k e^{-\lambda} / k!}{\sum_{j=1}^{\mathrm{maxLength}} \lambda^j e^{-\lambda} / j!}, \quad k = 1 \dots \mathrm{maxLength}.$$
 * GLM uses $\lambda = 3$ and lengths $1 \dots 39$: the raw weights $\mathrm{pmf}(k; 3)$ are 0.1494,
 * 0.2240, 0.2240, 0.1680, 0.1008, 0.0504, 0.0216, 0.0081 for $k = 1 \dots 8$; they sum to
 * $1 - e^{-3}$ over $1 \dots 39$, so the probabilities are 0.1572, 0.2357, 0.2357, 0.1768, ….
 *
 * @param lambda the Poisson mean $\lambda > 0$ (GLM's `average_block_length`; default 3).
 * @param maxLength the longest span, an integer ≥ 1 (default 39).
 * @returns `Float64Array` of length `maxLength`: entry `k − 1` is $P(\ell = k)$; they sum to 1.
 */
export function truncatedPoissonWeights(lambda = 3, maxLength = 39): Float64Array {
  const functionName = 'truncatedPoissonWeights';
  checkFiniteNumber(
    { functionName, argumentName: 'lambda' },
    lambda,
    { min: 0, minExclusive: true, max: 100 },
    'pass a positive mean span length such as 3.',
  );
  checkInteger(
    { functionName, argumentName: 'maxLength' },
    maxLength,
    { min: 1, max: 10_000 },
    'pass the longest allowed span, a positive integer such as 39.',
  );
  const weights = new Float64Array(maxLength);
  // The pmf by the recurrence p(k) = p(k − 1) · λ / k; the common factor e^{−λ} cancels in the
  // normalisation, so it is left out (it would underflow for large λ).
  let term = 1;
  let total = 0;
  for (let length = 1; length <= maxLength; length++) {
    term *= lambda / length;
    weights[length - 1] = term;
    total += term;
  }
  for (let index = 0; index < maxLength; index++) weights[index]! /= total;
  return weights;
}

/** Draws span lengths from fixed weights by inverting their cumulative sums (one uniform per draw). */
export interface SpanLengthSampler {
  /** A length in $1 \dots$ `weights.length`. */
  draw(random: RandomSource): number;
}

/** A {@link SpanLengthSampler} for `weights` (entry `k − 1` is the weight of length `k`). */
export function createSpanLengthSampler(weights: Float64Array): SpanLengthSampler {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let index = 0; index < weights.length; index++) {
    total += weights[index]!;
    cumulative[index] = total;
  }
  const last = weights.length - 1;
  return {
    draw(random) {
      const target = random.uniform() * total;
      // Linear search: with λ = 3, 95% of draws stop within the first six entries.
      for (let index = 0; index < last; index++) {
        if (target < cumulative[index]!) return index + 1;
      }
      return last + 1;
    },
  };
}
