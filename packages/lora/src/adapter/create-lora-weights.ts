import { ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloatTensor, formatShape } from '../internal/validate';

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
  for (const [key, expectedShape] of [
    ['a', [inputSize, rank]],
    ['b', [rank, outputSize]],
  ] as const) {
    const variable = given[key];
    const site = { functionName, argumentName: `options.weights.${key}` };
    checkFloatTensor(site, variable, 2, { variable: true });
    if (variable.shape[0] !== expectedShape[0] || variable.shape[1] !== expectedShape[1]) {
      throw new ShapeMismatchError({
        ...site,
        expected: `shape ${formatShape(expectedShape)}`,
        received: variable,
        fix: `create ${key === 'a' ? 'A as [in, r]' : 'B as [r, out]'}.`,
      });
    }
  }
  tf.tidy(() => {
    given.a.assign(tf.tensor2d(initialA, [inputSize, rank]));
    given.b.assign(tf.zeros([rank, outputSize]));
  });
  return { a: given.a, b: given.b, owned: false };
}
