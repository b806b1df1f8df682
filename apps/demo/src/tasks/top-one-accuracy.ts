import type { OutputProjection } from '@lm-objectives/core';
import { projectToVocabulary } from '@lm-objectives/models';
import * as tf from '@tensorflow/tfjs-core';

/** Which hidden states predict which targets: flat row indices into `[batch · sequence]`. */
export interface ScoredRows {
  /** The row whose hidden state makes the prediction. */
  readonly rows: Int32Array;
  /** The token each row must predict. */
  readonly targets: Int32Array;
}

/**
 * The scored rows of a batch's dense `labels`, optionally shifted (a causal model predicts the
 * label at $t$ from the hidden state at $t - 1$) and without the `excluded` targets.
 */
export function scoredRows(
  labels: Int32Array,
  sequence: number,
  options: { readonly shift?: boolean; readonly excluded?: readonly number[] } = {},
): ScoredRows {
  const excluded = new Set(options.excluded ?? []);
  const rows: number[] = [];
  const targets: number[] = [];
  labels.forEach((label, index) => {
    if (label < 0 || excluded.has(label)) return;
    if (options.shift) {
      if (index % sequence === 0) return;
      rows.push(index - 1);
    } else {
      rows.push(index);
    }
    targets.push(label);
  });
  return { rows: Int32Array.from(rows), targets: Int32Array.from(targets) };
}

/**
 * Top-1 accuracy: the share of `scored.rows` whose arg-max token
 * $\arg\max_v (h_r E^\top)_v$ is the target. Builds logits only for the scored rows.
 *
 * @param hiddenStates `[batch, sequence, H]`, disposed here.
 */
export function topOneAccuracy(
  hiddenStates: tf.Tensor,
  projection: OutputProjection,
  scored: ScoredRows,
): number {
  if (scored.rows.length === 0) {
    hiddenStates.dispose();
    return Number.NaN;
  }
  const predicted = tf.tidy(() => {
    const width = hiddenStates.shape[hiddenStates.rank - 1]!;
    const rows = tf.gather(
      tf.reshape(hiddenStates, [-1, width]),
      tf.tensor1d(scored.rows, 'int32'),
    );
    hiddenStates.dispose();
    return tf.argMax(projectToVocabulary({ hiddenStates: rows, projection }), -1);
  });
  const ids = predicted.dataSync();
  predicted.dispose();
  let correct = 0;
  ids.forEach((id, index) => {
    if (id === scored.targets[index]) correct += 1;
  });
  return correct / scored.rows.length;
}
