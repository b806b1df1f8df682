import { checkVariable } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The adapter's $A$ `[in, r]` and $B$ `[r, out]`, set to their initial values ($A$ as drawn,
 * $B = 0$, so the adapted layer starts equal to the base layer): new variables, or the given
 * ones (the `tf.layers` integration creates them as layer weights) after checking their shapes.
 *
 * @returns the variables, and whether the adapter owns them (and must dispose them).
 */
export function createLoraWeights(
  functionName: string,
  given: { a: tf.Variable; b: tf.Variable } | undefined,
  initialA: Float32Array,
  [inputSize, rank, outputSize]: readonly [number, number, number],
): { a: tf.Variable; b: tf.Variable; owned: boolean } {
  if (given === undefined) {
    // tf.variable copies its initial value; tidy frees the temporaries (and keeps variables).
    const a = tf.tidy(() => tf.variable(tf.tensor2d(initialA, [inputSize, rank]), true));
    const b = tf.tidy(() => tf.variable(tf.zeros([rank, outputSize]), true));
    return { a, b, owned: true };
  }
  checkVariable({ functionName, argumentName: 'options.weights.a' }, given.a, {
    shape: [inputSize, rank],
  });
  checkVariable({ functionName, argumentName: 'options.weights.b' }, given.b, {
    shape: [rank, outputSize],
  });
  tf.tidy(() => {
    given.a.assign(tf.tensor2d(initialA, [inputSize, rank]));
    given.b.assign(tf.zeros([rank, outputSize]));
  });
  return { a: given.a, b: given.b, owned: false };
}
