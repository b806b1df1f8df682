import * as tf from '@tensorflow/tfjs-core';
import type { IGNORE_INDEX } from '../contract/v1/ignore-index';
import { checkOptionKeys } from '../validation/check-option-keys';
import { checkTensor } from '../validation/check-tensor';
import { resolveIgnoreIndex } from '../validation/resolve-ignore-index';

/**
 * Shifts every row one step left along the last axis: position $t$ receives the value at $t+1$,
 * and the last position receives `fill`. Rank 1 input is one sequence.
 * Call inside a `tf.tidy` (the reshapes are left to it).
 */
export function shiftLeft(values: tf.Tensor, fill: number): tf.Tensor {
  const length = values.shape[values.rank - 1]!;
  const rows = values.size / Math.max(length, 1);
  const matrix = tf.reshape(values, [rows, length]) as tf.Tensor2D;
  const tail = tf.fill([rows, 1], fill, values.dtype) as tf.Tensor2D;
  const shifted =
    length <= 1 ? tail : tf.concat([tf.slice(matrix, [0, 1], [rows, length - 1]), tail], 1);
  return tf.reshape(shifted, values.shape);
}

/**
 * Turns labels aligned with the inputs into next-token targets: $\mathrm{out}_t = \mathrm{labels}_{t+1}$,
 * and the last position of each row gets `ignoreIndex` (it predicts nothing).
 *
 * Use it when a model or loss expects pre-shifted targets. With lm-objectives' own losses prefer
 * `shift: true`: shifting twice silently trains next-next-token prediction.
 *
 * @param labels int32 `[L]` or `[B, L]`.
 * @param options.ignoreIndex the fill value, default {@link IGNORE_INDEX}.
 * @returns int32 of the same shape; the caller owns it.
 */
export function causalShift(labels: tf.Tensor, options: { ignoreIndex?: number } = {}): tf.Tensor {
  checkTensor({ functionName: 'causalShift', argumentName: 'labels' }, labels, {
    dtypes: ['int32'],
    ranks: [1, 2],
  });
  checkOptionKeys('causalShift', options, ['ignoreIndex']);
  const fill = resolveIgnoreIndex('causalShift', options.ignoreIndex);
  return tf.tidy(() => shiftLeft(labels, fill));
}
