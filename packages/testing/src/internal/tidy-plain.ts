import { tidyResult } from '@lm-objectives/core';

/**
 * Runs `compute` in a `tf.tidy` that frees every tensor it made, and returns its plain-data result
 * (numbers, arrays, strings: a tensor in it would be kept, which the checks never return).
 */
export function tidyPlain<T>(compute: () => T): T {
  return tidyResult(() => ({ value: compute() })).value;
}
