import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * The error for an operation refused because of the adapter's merge state: merging a merged
 * adapter, unmerging an unmerged one, or training through a merged one.
 *
 * @param merged the adapter's current state.
 */
export function loraStateError(
  functionName: string,
  name: string,
  merged: boolean,
  fix: string,
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName: 'adapter',
    expected: merged
      ? 'an unmerged adapter (its update not yet added to the kernel)'
      : 'a merged adapter (its update added to the kernel by merge())',
    received: name,
    receivedDescription: `adapter '${name}', which is ${merged ? 'already merged' : 'not merged'}`,
    fix,
  });
}
