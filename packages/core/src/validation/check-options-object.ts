import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';
import {
  checkNoUnknownKeys,
  isOptionsObject,
  notAnOptionsObject,
  type RenamedOptions,
} from './check-option-keys';

/**
 * Checks an options object that must be present: a plain object, with every `required` key set
 * (not `undefined`) and no key outside `allowed` (an unknown key's error suggests the closest
 * allowed name; a key listed in `renamed` is refused with its replacement). Use
 * {@link checkOptionKeys} when the options may be left out.
 *
 * @param keys `allowed` lists every accepted key, the required ones included; `renamed` (and
 *   `renamedIn`) the old names and what replaced them (see {@link RenamedOptions}).
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
  keys: { required?: readonly string[]; allowed: readonly string[] } & RenamedOptions,
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
  // Unknown keys first: a misspelt or renamed required key (`mask_token_id`) is best reported
  // with its suggestion or replacement.
  checkNoUnknownKeys(functionName, value, allowed, argumentName, keys);
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
