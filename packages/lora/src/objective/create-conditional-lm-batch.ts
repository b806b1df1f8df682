import { IGNORE_INDEX, InvalidArgumentError } from '@lm-objectives/core';
import { buildConditionalSequence, type ConditionalSequence } from './build-conditional-sequence';
import type { ConditionalExample } from './conditional-example';
import type { ConditionalLmBatch, RowSegment } from './conditional-lm-batch';
import {
  type ConditionalLmOptions,
  type ResolvedConditionalLmOptions,
  resolveConditionalLmOptions,
} from './conditional-lm-options';

const FUNCTION_NAME = 'createConditionalLmBatch';

/** First-fit packing in example order: each sequence goes into the first row with room for it. */
function packRows(
  sequences: readonly { example: number; sequence: ConditionalSequence }[],
  rowLength: number,
): RowSegment[][] {
  const rows: RowSegment[][] = [];
  const used: number[] = [];
  for (const { example, sequence } of sequences) {
    const length = sequence.inputIds.length;
    let row = used.findIndex((filled) => filled + length <= rowLength);
    if (row === -1) {
      row = rows.length;
      rows.push([]);
      used.push(0);
    }
    rows[row]!.push({ example, start: used[row]!, length });
    used[row]! += length;
  }
  return rows;
}

/**
 * The data side of the conditional objective, usable without tensors (in a worker, in a batch
 * inspector): builds each example's ids and labels (see `buildConditionalSequence`), drops and
 * counts examples that truncation left without a scored token, then lays the rest out one per row
 * or packed, right-padded with `padTokenId`.
 *
 * Packed rows restart `positionIds` at 0 for every example and number the examples in
 * `segmentIds`; the first label of every example is −100, so no token is scored from the previous
 * example's context. `counts.conditionalLm` is the number of scored tokens (what the loss will
 * count, after its shift).
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
  const kept: { example: number; sequence: ConditionalSequence }[] = [];
  const droppedExamples: number[] = [];
  let truncated = 0;
  examples.forEach((example, index) => {
    const untruncated = buildConditionalSequence(FUNCTION_NAME, example, `examples[${index}]`, {
      ...resolved,
      maxLength: undefined,
    });
    const sequence =
      resolved.maxLength !== undefined && untruncated.inputIds.length > resolved.maxLength
        ? buildConditionalSequence(FUNCTION_NAME, example, `examples[${index}]`, resolved)
        : untruncated;
    if (sequence !== untruncated) truncated++;
    if (sequence.scored === 0) droppedExamples.push(index);
    else kept.push({ example: index, sequence });
  });

  const rows: RowSegment[][] = resolved.packing
    ? packRows(kept, resolved.maxLength!)
    : kept.map(({ example, sequence }) => [
        { example, start: 0, length: sequence.inputIds.length },
      ]);
  const sequenceOf = new Map(kept.map(({ example, sequence }) => [example, sequence]));
  const batchSize = rows.length;
  const length = rows.reduce(
    (longest, row) =>
      Math.max(
        longest,
        row.reduce((end, segment) => Math.max(end, segment.start + segment.length), 0),
      ),
    0,
  );
  const inputIds = new Int32Array(batchSize * length).fill(resolved.padTokenId);
  const labels = new Int32Array(batchSize * length).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(batchSize * length);
  const positionIds = new Int32Array(batchSize * length);
  const segmentIds = new Int32Array(batchSize * length);
  let scored = 0;
  rows.forEach((row, rowIndex) => {
    row.forEach((segment, segmentIndex) => {
      const sequence = sequenceOf.get(segment.example)!;
      const offset = rowIndex * length + segment.start;
      inputIds.set(sequence.inputIds, offset);
      labels.set(sequence.labels, offset);
      attentionMask.fill(1, offset, offset + segment.length);
      segmentIds.fill(segmentIndex + 1, offset, offset + segment.length);
      for (let position = 0; position < segment.length; position++) {
        positionIds[offset + position] = position;
      }
      scored += sequence.scored;
    });
  });
  const shape = [batchSize, length];
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length },
    fields: {
      inputIds: { dtype: 'int32', shape, data: inputIds },
      labels: { dtype: 'int32', shape, data: labels },
      attentionMask: { dtype: 'bool', shape, data: attentionMask },
      positionIds: { dtype: 'int32', shape, data: positionIds },
      segmentIds: { dtype: 'int32', shape, data: segmentIds },
    },
    counts: { conditionalLm: scored },
    dropped: droppedExamples.length,
    droppedExamples,
    truncated,
    rows,
  };
}
