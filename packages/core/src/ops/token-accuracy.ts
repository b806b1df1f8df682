import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean } from '../validation/check-boolean';
import { checkOptionKeys } from '../validation/check-option-keys';
import { checkTensor } from '../validation/check-tensor';
import { resolveIgnoreIndex } from '../validation/resolve-ignore-index';
import { tidyResult } from '../validation/tidy-result';
import { type LabelsInput, tokenTargets } from './internal/token-targets';

/** Token accuracy with its parts, so that it can be accumulated across batches. */
export interface TokenAccuracy {
  /** `correct / count` (0 when nothing is counted), a scalar. */
  accuracy: tf.Scalar;
  /** How many counted positions have their label as the arg-max logit, a scalar. */
  correct: tf.Scalar;
  /** How many positions are counted (label ≠ ignore index, after any shift), a scalar. */
  count: tf.Scalar;
}

/**
 * Fraction of counted positions whose highest logit is the label:
 * $\mathrm{accuracy} = \frac{1}{|T|}\sum_{t \in T} [\arg\max_v z_{t,v} = y_t]$ over $T = \{t : y_t \ne \mathrm{ignoreIndex}\}$.
 * Same label conventions as {@link crossEntropy} (`ignoreIndex`, `shift`). Not differentiable.
 */
export function tokenAccuracy(
  logits: tf.Tensor,
  labels: LabelsInput,
  options: { ignoreIndex?: number; shift?: boolean } = {},
): TokenAccuracy {
  const functionName = 'tokenAccuracy';
  checkTensor({ functionName, argumentName: 'logits' }, logits, {
    dtypes: ['float32'],
    ranks: [2, 3],
  });
  checkOptionKeys(functionName, options, ['ignoreIndex', 'shift']);
  const ignoreIndex = resolveIgnoreIndex(functionName, options.ignoreIndex);
  const vocabularySize = logits.shape[logits.rank - 1]!;
  const leadingShape = logits.shape.slice(0, -1);
  const positions = logits.size / vocabularySize;
  const shift = checkBoolean({ functionName, argumentName: 'options.shift' }, options.shift, false);
  const targets = {
    functionName,
    leadingShape,
    vocabularySize,
    ignoreIndex,
    shift,
    validateLabels: true,
  };
  return tidyResult(() => {
    const { safeLabels, countedWeights } = tokenTargets(labels, undefined, targets);
    if (positions === 0) {
      // Made, not reduced: the wasm backend's sum of an empty tensor is an arbitrary value.
      return { accuracy: tf.scalar(0), correct: tf.scalar(0), count: tf.scalar(0) };
    }
    const predictions = tf.argMax(tf.reshape(logits, [positions, vocabularySize]), 1);
    const hits = tf.mul(tf.cast(tf.equal(predictions, safeLabels), 'float32'), countedWeights);
    const correct = tf.sum(hits) as tf.Scalar;
    const count = tf.sum(countedWeights) as tf.Scalar;
    const accuracy = tf.div(correct, tf.maximum(count, 1)) as tf.Scalar;
    return { accuracy, correct, count };
  });
}
