import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import { checkNoUnknownKeys, isOptionsObject, notAnOptionsObject } from './check-option-keys';

/**
 * Checks an options object that must be present: a plain object, with every `required` key set
 * (not `undefined`) and no key outside `allowed` (an unknown key's error suggests the closest
 * allowed name). Use {@link checkOptionKeys} when the options may be left out.
 *
 * @param keys `allowed` lists every accepted key, the required ones included.
 * @returns the options, typed as a record for reading the values.
 * @example
 * const given = checkOptionsObject(
 *   { functionName: 'createGlmBatch', argumentName: 'options' },
 *   options,
 *   { required: ['maskTokenId'], allowed: ['maskTokenId', 'maxLength', 'padding'] },
 * );
 */
export function checkOptionsObject(
  site: ArgumentSite,
  value: unknown,
  keys: { required?: readonly string[]; allowed: readonly string[] },
): Record<string, unknown> {
  const { required = [], allowed } = keys;
  const { functionName, argumentName } = site;
  if (!isOptionsObject(value)) {
    const expected =
      required.length > 0
        ? `an options object with at least ${required.join(', ')}`
        : 'an options object';
    throw notAnOptionsObject(functionName, argumentName, value, allowed, expected);
  }
  // Unknown keys first: a misspelt required key (`mask_token_id`) is best reported with its suggestion.
  checkNoUnknownKeys(functionName, value, allowed, argumentName);
  for (const key of required) {
    if (value[key] === undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${argumentName}.${key}`,
        expected: `a value for the required option ${key}`,
        received: undefined,
        fix: `set ${argumentName}.${key}.`,
      });
    }
  }
  return value;
}
