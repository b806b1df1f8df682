import type {
  ObjectiveBatchExplanation,
  RowExplanation,
  TokenExplanation,
} from '@lm-objectives/core';
import type { GlmBatch } from '../glm-batch';
import { GLM_MODES } from '../glm-sample';

/**
 * Part B's segments of one row: the Part A position of each segment's mask token, in Part B order
 * (a segment starts where the block position is 1).
 */
function segmentMaskPositions(batch: GlmBatch, row: number): number[] {
  const length = batch.dimensions['sequence']!;
  const offset = row * length;
  const { positionIds, blockPositionIds, separators, lengths } = batch.fields;
  const positions: number[] = [];
  for (let t = separators.data[row]!; t < lengths.data[row]!; t++) {
    if (blockPositionIds.data[offset + t] === 1) positions.push(positionIds.data[offset + t]!);
  }
  return positions;
}

/**
 * One row explained. Actions: `special` for `[CLS]` (position 0), `blank` for a mask token that
 * stands for a span in Part A, `context` for the other Part A tokens, `span` for every Part B token
 * (scored, with the row's mode as its part), `padding` after the row's end. Both position rows go
 * into `positions`; attention is `'< sep'` in Part A and `'< sep or ≤ self'` from Part B on (the
 * rule $j < \mathrm{sep} \lor j \le i$, which padding queries follow too; they are never scored).
 */
function explainRow(batch: GlmBatch, row: number): RowExplanation {
  const length = batch.dimensions['sequence']!;
  const offset = row * length;
  const { inputIds, labels, positionIds, blockPositionIds } = batch.fields;
  const sep = batch.fields.separators.data[row]!;
  const rowLength = batch.fields.lengths.data[row]!;
  const mode = GLM_MODES[batch.fields.modes.data[row]!]!;
  const segments = segmentMaskPositions(batch, row);
  const blanks = [...new Set(segments)].sort((a, b) => a - b);
  const tokens: TokenExplanation[] = new Array(length);
  for (let t = 0; t < length; t++) {
    const at = offset + t;
    const scored = t >= sep && t < rowLength;
    const action =
      t >= rowLength
        ? 'padding'
        : scored
          ? 'span'
          : t === 0
            ? 'special'
            : blanks.includes(t)
              ? 'blank'
              : 'context';
    tokens[t] = {
      inputId: inputIds.data[at]!,
      label: scored ? labels.data[at]! : null,
      weight: scored ? 1 : 0,
      ...(scored ? { part: mode } : {}),
      action,
      positions: [positionIds.data[at]!, blockPositionIds.data[at]!],
      attention: t < sep ? `< ${sep}` : `< ${sep} or ≤ self`,
    };
  }
  return {
    tokens,
    facts: {
      mode,
      separator: sep,
      textLength: batch.fields.textLengths.data[row]!,
      blankedCount: batch.fields.blankedCounts.data[row]!,
      spanCount: batch.fields.spanCounts.data[row]!,
      spanOrder: segments.map((position) => blanks.indexOf(position)).join(', '),
    },
  };
}

/**
 * The GLM batch explained position by position in core's shared terms (the contract's
 * `explainBatch`), from the batch's typed arrays alone. Per row, the facts are the mode, `sep`,
 * the text length $n$, the blanked tokens, the number of blanks and the span order: Part B's
 * segments as indices of the blanks in text order (`'1, 0'` for the worked example, whose Part B
 * fills the second blank first). Pure, no tensors.
 */
export function explainGlmBatch(batch: GlmBatch): ObjectiveBatchExplanation {
  return { rows: Array.from({ length: batch.size }, (_, row) => explainRow(batch, row)) };
}
