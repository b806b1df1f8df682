import {
  IGNORE_INDEX,
  type ObjectiveBatchExplanation,
  type RowExplanation,
  type TokenExplanation,
} from '@lm-objectives/core';
import {
  CONDITIONAL_TOKEN_ACTION,
  type ConditionalLmBatch,
  type ConditionalTokenAction,
} from '../conditional-lm-batch';

const ACTION_WORDS = Object.keys(CONDITIONAL_TOKEN_ACTION) as ConditionalTokenAction[];

/** Position `t` of row `b`, explained: what it holds and, after the causal shift, what it predicts. */
function explainToken(
  batch: ConditionalLmBatch,
  at: number,
  lastInRow: boolean,
  packed: boolean,
): TokenExplanation {
  const { inputIds, labels, positionIds, exampleIds } = batch.fields;
  const next = lastInRow ? IGNORE_INDEX : labels.data[at + 1]!;
  const scored = next !== IGNORE_INDEX;
  const example = exampleIds.data[at]!;
  return {
    inputId: inputIds.data[at]!,
    label: scored ? next : null,
    weight: scored ? 1 : 0,
    ...(scored ? { part: 'conditionalLm' } : {}),
    action: ACTION_WORDS[batch.tokenActions[at]!]!,
    positions: [positionIds.data[at]!],
    attention:
      example === 0 ? 'none (padding)' : packed ? `≤ self within example ${example}` : '≤ self',
  };
}

/**
 * A conditional batch, position by position, in core's `TokenAction` words: `prompt`,
 * `completion`, `special` (the appended EOS) and `padding`. Each position's `label` is the token
 * its output is trained to predict — the **next** token, after the causal shift — with weight 1
 * and part `conditionalLm` when scored (so the last prompt token carries the first completion
 * token), `null` and weight 0 otherwise. `positions` holds the position id; `attention` names the
 * packed example a position may see. Row facts: `exampleIndices`, the indices (into the examples
 * given to `createBatch`) of the examples the row holds, in order. Pure, no tensors.
 */
export function explainConditionalLmBatch(batch: ConditionalLmBatch): ObjectiveBatchExplanation {
  const length = batch.dimensions['sequence']!;
  const rows = batch.rows.map((row, rowIndex): RowExplanation => {
    const packed = row.length > 1;
    const tokens = Array.from({ length }, (_, position) =>
      explainToken(batch, rowIndex * length + position, position === length - 1, packed),
    );
    return { tokens, facts: { exampleIndices: row.map(({ example }) => example).join(', ') } };
  });
  return { rows };
}
