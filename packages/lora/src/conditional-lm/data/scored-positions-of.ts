import { IGNORE_INDEX } from '@lm-objectives/core';

/**
 * The causal shift, done once on the data side: for every flat label $y_i \ne -100$ at
 * $i = b \cdot L + t$, the position $i - 1$ whose output predicts it, and $y_i$. The builder
 * never scores a row's (or a packed example's) first token, so $i - 1$ stays in the same example.
 *
 * @param labels flat `[batch · sequence]` labels, aligned with the inputs.
 * @returns `positions` and `labels`, both int32 `[scored]`, in row-major order.
 * @example
 * scoredPositionsOf(Int32Array.of(-100, -100, 7, 2)); // { positions: [1, 2], labels: [7, 2] }
 */
export function scoredPositionsOf(labels: Int32Array): {
  positions: Int32Array;
  labels: Int32Array;
} {
  let count = 0;
  for (const label of labels) if (label !== IGNORE_INDEX) count++;
  const positions = new Int32Array(count);
  const scoredLabels = new Int32Array(count);
  let next = 0;
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!;
    if (label === IGNORE_INDEX) continue;
    positions[next] = index - 1;
    scoredLabels[next++] = label;
  }
  return { positions, labels: scoredLabels };
}
