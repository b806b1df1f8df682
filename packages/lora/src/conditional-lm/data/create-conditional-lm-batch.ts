import { IGNORE_INDEX, InvalidArgumentError } from '@lm-objectives/core';
import type { ConditionalExample } from '../conditional-example';
import type { ConditionalLmBatch, RowExample } from '../conditional-lm-batch';
import {
  type ConditionalLmOptions,
  type ResolvedConditionalLmOptions,
  resolveConditionalLmOptions,
} from '../conditional-lm-options';
import { buildConditionalSequence, type ConditionalSequence } from './build-conditional-sequence';
import { packRows } from './pack-rows';
import { scoredPositionsOf } from './scored-positions-of';

const FUNCTION_NAME = 'createConditionalLmBatch';

/**
 * The padded row length $L$: the longest row (or `maxLength` with `padding: 'max-length'`),
 * rounded up to a multiple of `padToMultipleOf`.
 */
function paddedLength(
  rows: readonly RowExample[][],
  options: ResolvedConditionalLmOptions,
): number {
  const longest = rows.reduce((length, row) => {
    const last = row[row.length - 1];
    return last === undefined ? length : Math.max(length, last.start + last.length);
  }, 0);
  const target = options.padding === 'max-length' ? options.maxLength! : longest;
  return Math.ceil(target / options.padToMultipleOf) * options.padToMultipleOf;
}

/** Writes each row's examples into the `[batch, sequence]` arrays, numbering them 1, 2, … in `exampleIds`. */
function layOutRows(
  rows: readonly RowExample[][],
  sequences: readonly (ConditionalSequence | undefined)[],
  length: number,
  padTokenId: number,
) {
  const cells = rows.length * length;
  const inputIds = new Int32Array(cells).fill(padTokenId);
  const labels = new Int32Array(cells).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(cells);
  const positionIds = new Int32Array(cells);
  const exampleIds = new Int32Array(cells);
  const tokenActions = new Uint8Array(cells); // 0 = padding
  rows.forEach((row, rowIndex) => {
    row.forEach((placed, indexInRow) => {
      const sequence = sequences[placed.example]!;
      const offset = rowIndex * length + placed.start;
      inputIds.set(sequence.inputIds, offset);
      labels.set(sequence.labels, offset);
      tokenActions.set(sequence.actions, offset);
      attentionMask.fill(1, offset, offset + placed.length);
      exampleIds.fill(indexInRow + 1, offset, offset + placed.length);
      for (let position = 0; position < placed.length; position++) {
        positionIds[offset + position] = position;
      }
    });
  });
  return { inputIds, labels, attentionMask, positionIds, exampleIds, tokenActions };
}

/**
 * The data side of the conditional objective, usable without tensors (in a worker, in a batch
 * inspector): builds each example's ids and labels (prompt and completion tokenized separately,
 * EOS appended, labels by position), drops and counts examples that truncation left without a
 * scored token, then lays the rest out one per row or packed first-fit, right-padded with
 * `padTokenId` to the longest row (or `maxLength`, rounded up to `padToMultipleOf`).
 *
 * Packed rows restart `positionIds` at 0 for every example and number the examples in
 * `exampleIds`; the first label of every example is −100, so no token is scored from the previous
 * example's context. `scoredPositions` / `scoredLabels` list every scored token once, after the
 * causal shift, and `counts.conditionalLm` is their number.
 *
 * @example
 * const batch = createConditionalLmBatch([{ prompt: [5, 9], completion: [7] }], { eosTokenId: 2 });
 * batch.fields.labels.data; // [-100, -100, 7, 2]
 * batch.fields.scoredPositions.data; // [1, 2]: position 1 predicts 7, position 2 predicts EOS
 */
export function createConditionalLmBatch(
  examples: readonly ConditionalExample[],
  options: ConditionalLmOptions | ResolvedConditionalLmOptions,
): ConditionalLmBatch {
  const resolved = resolveConditionalLmOptions(FUNCTION_NAME, options as ConditionalLmOptions);
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'examples',
      expected: 'a non-empty array of { prompt, completion } or { turns } examples',
      received: examples,
      fix: 'pass at least one example.',
    });
  }
  const sequences = examples.map((example, index) =>
    buildConditionalSequence(FUNCTION_NAME, example, `examples[${index}]`, resolved),
  );
  const droppedExamples = sequences.flatMap((sequence, index) =>
    sequence.scored === 0 ? [index] : [],
  );
  const kept = sequences.flatMap((sequence, example) =>
    sequence.scored === 0 ? [] : [{ example, length: sequence.inputIds.length }],
  );
  const rows = resolved.packing
    ? packRows(kept, resolved.maxLength!)
    : kept.map(({ example, length }) => [{ example, start: 0, length }]);
  const length = paddedLength(rows, resolved);
  const { tokenActions, ...fields } = layOutRows(rows, sequences, length, resolved.padTokenId);
  const scored = scoredPositionsOf(fields.labels);
  const shape = [rows.length, length];
  return {
    size: rows.length,
    dimensions: { batch: rows.length, sequence: length, scored: scored.positions.length },
    fields: {
      inputIds: { dtype: 'int32', shape, data: fields.inputIds },
      labels: { dtype: 'int32', shape, data: fields.labels },
      attentionMask: { dtype: 'bool', shape, data: fields.attentionMask },
      positionIds: { dtype: 'int32', shape, data: fields.positionIds },
      exampleIds: { dtype: 'int32', shape, data: fields.exampleIds },
      scoredPositions: { dtype: 'int32', shape: [scored.positions.length], data: scored.positions },
      scoredLabels: { dtype: 'int32', shape: [scored.labels.length], data: scored.labels },
    },
    counts: { conditionalLm: scored.positions.length },
    tokenActions,
    dropped: droppedExamples.length,
    droppedExamples,
    truncated: sequences.filter((sequence) => sequence.truncated).length,
    rows,
  };
}
