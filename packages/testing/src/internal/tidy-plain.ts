import * as tf from '@tensorflow/tfjs-core';

/** Runs `compute` in a `tf.tidy` that frees every tensor it made, and returns its plain-data result. */
export function tidyPlain<T>(compute: () => T): T {
  let result: { value: T } | undefined;
  tf.tidy(() => {
    result = { value: compute() };
  });
  return (result as { value: T }).value;
}
