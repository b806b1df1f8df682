import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { suggestClosest } from './suggest-closest';

/** The error for an options value that is not a plain object. */
export function notAnOptionsObject(
  functionName: string,
  argumentName: string,
  received: unknown,
  allowed: readonly string[],
  expected = 'an options object or undefined',
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName,
    expected,
    received,
    fix: `pass an object with some of: ${allowed.join(', ')}.`,
  });
}

/** Whether `value` can hold options: an object that is neither `null` nor an array. */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Throws for the first key of `options` outside `allowed`, suggesting the closest allowed name. */
export function checkNoUnknownKeys(
  functionName: string,
  options: Record<string, unknown>,
  allowed: readonly string[],
  argumentName: string,
): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const closest = suggestClosest(key, allowed);
    const advice = 'remove it or correct its spelling (options are camelCase).';
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.${key}`,
      expected: `one of the known options ${allowed.join(', ')}`,
      received: key,
      receivedDescription: `an unknown option '${key}'`,
      fix: closest === undefined ? advice : `did you mean '${closest}'? If not, ${advice}`,
    });
  }
}

/**
 * Throws when `options` is not a plain object (`null`, an array, a string…) or has a key outside
 * `allowed`: a misspelt option (`ignore_index` for `ignoreIndex`) would otherwise be silently
 * ignored and give a wrong answer. The error names the key and suggests the closest allowed name
 * (see {@link suggestClosest}): `did you mean 'learningRate'?`. `undefined` (no options) passes.
 *
 * @returns `options`, unchanged.
 * @example
 * checkOptionKeys('createTrainer', options, ['learningRate', 'weightDecay']);
 */
export function checkOptionKeys<Options>(
  functionName: string,
  options: Options,
  allowed: readonly string[],
  argumentName = 'options',
): Options {
  if (options === undefined) return options;
  if (!isOptionsObject(options)) {
    throw notAnOptionsObject(functionName, argumentName, options, allowed);
  }
  checkNoUnknownKeys(functionName, options, allowed, argumentName);
  return options;
}
