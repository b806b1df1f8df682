import { withArticle } from '../errors/describe-value';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from './argument-site';

/**
 * Throws when an object that owns tensors (a model, an adapter, a prefix, an objective's heads) is
 * used after its `dispose()`: its tensors are gone, and tfjs would fail later with a message that
 * names none of the caller's objects. For a tensor argument, `checkTensor` already refuses a
 * disposed tensor.
 *
 * @param disposed whether the object's `dispose()` has run.
 * @param what what the object is, e.g. `'prefix'` or `'model'` (`a model that is still alive`).
 * @param fix how to get a live one again.
 * @example
 * checkNotDisposed({ functionName: 'PrefixEncoder.keyValues', argumentName: 'this' }, disposed, 'prefix',
 *   'create (or load) the prefix again; dispose() frees its tensors for good.');
 */
export function checkNotDisposed(
  site: ArgumentSite,
  disposed: boolean,
  what: string,
  fix: string,
): void {
  if (!disposed) return;
  throw new InvalidArgumentError({
    ...site,
    expected: `${withArticle(what)} that is still alive (its tensors not yet freed)`,
    received: `a disposed ${what}`,
    receivedDescription: `a disposed ${what} (used after dispose())`,
    fix,
  });
}
