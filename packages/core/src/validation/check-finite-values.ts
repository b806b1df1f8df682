import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * Throws unless every value of a float array is finite, naming the first NaN or ±∞ as
 * `argumentName[index]`: loaded weights with one non-finite value (a diverged run saved as it
 * was) make every later output NaN, far from the cause.
 *
 * @param fix how to fix it, in the caller's words (e.g. how to load such values deliberately).
 * @returns `values`, unchanged.
 * @example
 * checkFiniteValues(
 *   { functionName: 'loadPrefix', argumentName: 'checkpoint.keyValues' },
 *   keyValues,
 *   'export the prefix from a finite state, or pass { allowNonFinite: true }.',
 * );
 */
export function checkFiniteValues<Values extends Float32Array | Float64Array>(
  site: ArgumentSite,
  values: Values,
  fix: string,
): Values {
  for (let index = 0; index < values.length; index++) {
    if (Number.isFinite(values[index]!)) continue;
    throw new InvalidArgumentError({
      ...site,
      argumentName: `${site.argumentName}[${index}]`,
      expected: 'finite values (no NaN or ±Infinity)',
      received: values[index],
      fix,
    });
  }
  return values;
}
