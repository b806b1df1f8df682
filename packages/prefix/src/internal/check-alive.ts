import { InvalidArgumentError } from '@lm-objectives/core';

/** Throws when a prefix is used after `dispose()`: its tensors are gone. */
export function checkAlive(disposed: boolean, functionName: string): void {
  if (disposed) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'this',
      expected: 'a prefix whose tensors are alive',
      received: 'a disposed prefix',
      fix: 'create (or load) the prefix again; dispose() frees its tensors for good.',
    });
  }
}
