import { InvalidArgumentError } from '../errors/invalid-argument-error';

/**
 * Throws when `options` is not a plain object or has a key outside `allowed`: a misspelt option
 * (`ignore_index` for `ignoreIndex`) would otherwise be silently ignored and give a wrong answer.
 */
export function checkOptionKeys(
  functionName: string,
  options: unknown,
  allowed: readonly string[],
  argumentName = 'options',
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'an options object or undefined',
      received: options,
      fix: `pass an object with some of: ${allowed.join(', ')}.`,
    });
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${argumentName}.${key}`,
        expected: `one of the known options ${allowed.join(', ')}`,
        received: key,
        receivedDescription: `an unknown option '${key}'`,
        fix: 'remove it or correct its spelling (options are camelCase).',
      });
    }
  }
}
