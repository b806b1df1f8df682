import { InvalidArgumentError } from '@lm-objectives/core';

/** Checks the `directory` argument of the directory store's functions. */
export function checkDirectoryArgument(directory: unknown, functionName: string): string {
  if (typeof directory !== 'string' || directory === '' || directory.includes('\0')) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      expected: 'a directory path',
      received: directory,
      fix: "pass e.g. 'checkpoints/run-1' (one directory per run: each save replaces its checkpoint).",
    });
  }
  return directory;
}
