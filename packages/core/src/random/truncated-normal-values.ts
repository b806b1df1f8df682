import { checkFiniteNumber } from '../validation/check-finite-number';
import { checkInteger } from '../validation/check-integer';
import { checkOptionKeys } from '../validation/check-option-keys';
import { checkRandomSource } from '../validation/check-random-source';
import type { RandomSource } from './random-source';

const FUNCTION_NAME = 'truncatedNormalValues';

/**
 * `count` samples of a normal distribution $\mathcal{N}(0, \sigma^2)$ truncated to
 * $[-b\sigma, b\sigma]$ (default $b = 2$) by redrawing any sample outside it — TensorFlow's
 * `truncated_normal`, the initialiser of BERT ($\sigma = 0.02$) and of the reference models —
 * drawn from the seeded `random` (one `normal` draw per try), so that a seed fixes the values on
 * every platform.
 *
 * @param random the seeded source (pass a `fork()` to keep the parent's later draws unchanged).
 * @param count how many values, an integer ≥ 0.
 * @param options `standardDeviation` $\sigma \ge 0$ (0 gives zeros); `bound` $b > 0$ in units of $\sigma$.
 * @returns a new `Float32Array` of `count` values.
 * @example
 * const kernel = truncatedNormalValues(random.fork(), rows * columns, { standardDeviation: 0.02 });
 */
export function truncatedNormalValues(
  random: RandomSource,
  count: number,
  options: { standardDeviation: number; bound?: number },
): Float32Array {
  const site = (argumentName: string) => ({ functionName: FUNCTION_NAME, argumentName });
  checkRandomSource(site('random'), random);
  checkInteger(site('count'), count, { min: 0 }, 'pass how many values to draw, an integer ≥ 0.');
  checkOptionKeys(FUNCTION_NAME, options, ['standardDeviation', 'bound']);
  const standardDeviation = checkFiniteNumber(
    site('options.standardDeviation'),
    options?.standardDeviation,
    { min: 0 },
    'pass σ ≥ 0, e.g. 0.02 (BERT).',
  );
  const bound = checkFiniteNumber(
    site('options.bound'),
    options.bound,
    { min: 0, minExclusive: true },
    'pass the cut-off in standard deviations, e.g. 2.',
    2,
  );
  const limit = bound * standardDeviation;
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    let value = random.normal(0, standardDeviation);
    while (Math.abs(value) > limit) value = random.normal(0, standardDeviation);
    values[index] = value;
  }
  return values;
}
