import { checkNotDisposed } from '@lm-objectives/core';

/** Throws when a prefix is used after `dispose()` (core's `checkNotDisposed`, in a prefix's words). */
export function checkPrefixAlive(disposed: boolean, functionName: string): void {
  checkNotDisposed(
    { functionName, argumentName: 'this' },
    disposed,
    'prefix',
    'create (or load) the prefix again; dispose() frees its tensors for good.',
  );
}
