import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * A function (a callback option such as `onWarning`, a filter, a splitter), or `fallback` when
 * `value` is `undefined` and a fallback is given. For an optional callback without a default,
 * call it only when the value is defined.
 *
 * @typeParam Callback the function type the caller expects (not checked at run time).
 * @param signature the shape the caller expects, e.g. `'(message) => void'` (`a function
 *   (message) => void` in the message).
 * @param fix how to fix it, e.g. `'pass (message) => …, or leave it out to use console.warn.'`.
 * @example
 * const onWarning = checkFunction(site('onWarning'), options.onWarning, '(message) => void',
 *   'pass (message) => …, or leave it out.', (message: string) => console.warn(message));
 */
export function checkFunction<Callback extends (...args: never[]) => unknown>(
  site: ArgumentSite,
  value: unknown,
  signature: string,
  fix: string,
  fallback?: Callback,
): Callback {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'function') return value as Callback;
  throw new InvalidArgumentError({
    ...site,
    expected: `a function ${signature}`,
    received: value,
    fix,
  });
}
