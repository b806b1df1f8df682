import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * A boolean, or `fallback` when `value` is `undefined`; anything else (`'true'`, `1`) is an
 * {@link InvalidArgumentError}.
 */
export function checkBoolean(site: ArgumentSite, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidArgumentError({
    ...site,
    expected: 'true or false',
    received: value,
    fix: `pass a boolean for ${site.argumentName.split('.').pop()} (default ${fallback}).`,
  });
}
