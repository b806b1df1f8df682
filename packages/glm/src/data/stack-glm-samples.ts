import {
  type BatchField,
  IGNORE_INDEX,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type { GlmBatch } from '../glm-batch';
import type { ResolvedGlmPadding } from '../glm-options';
import { GLM_MODES, type GlmMode, type GlmSample } from '../glm-sample';

/**
 * The padded row length: the longest row, or `maxLength` with `'max-length'` padding, rounded up
 * to a multiple of `padToMultipleOf`. A sample longer than `maxLength` is an error (never
 * truncated).
 */
function paddedLength(
  functionName: string,
  samples: readonly GlmSample[],
  padding: ResolvedGlmPadding,
): number {
  let longest = 0;
  let longestRow = 0;
  samples.forEach((sample, row) => {
    if (sample.inputIds.length > longest) {
      longest = sample.inputIds.length;
      longestRow = row;
    }
  });
  const { maxLength } = padding;
  if (maxLength !== undefined && longest > maxLength) {
    const sample = samples[longestRow]!;
    throw new ShapeMismatchError({
      functionName,
      argumentName: `examples[${longestRow}]`,
      expected: `rows of at most maxLength = ${maxLength} positions`,
      received: sample,
      receivedDescription: `a sample of ${longest} positions (Part A ${sample.sep} + Part B ${longest - sample.sep})`,
      fix: 'raise maxLength, or build from shorter texts: a sample is n + 2k long for n text tokens and k blanks (n + 1 for [gMASK]); it is never truncated silently.',
    });
  }
  const length = padding.padding === 'max-length' ? maxLength! : longest;
  return Math.ceil(length / padding.padToMultipleOf) * padding.padToMultipleOf;
}

/**
 * Part B tokens per mode, $\mathrm{counts}_m = \sum_{b : \mathrm{mode}_b = m} \sum_t \mathrm{lossMask}_{b,t}$,
 * checking that every loss mask holds only 0 and 1.
 */
function countScored(functionName: string, samples: readonly GlmSample[]): Record<GlmMode, number> {
  const counts: Record<GlmMode, number> = { span: 0, sentence: 0, document: 0 };
  samples.forEach((sample, row) => {
    const { lossMask } = sample;
    let counted = 0;
    for (let position = 0; position < lossMask.length; position++) {
      const flag = lossMask[position]!;
      if (flag > 1) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `examples[${row}].lossMask[${position}]`,
          expected: '0 (Part A) or 1 (Part B)',
          received: flag,
          fix: 'pass samples made by a GlmSampleBuilder unchanged.',
        });
      }
      counted += flag;
    }
    counts[sample.mode] += counted;
  });
  return counts;
}

/**
 * Stacks checked samples into a {@link GlmBatch}, padding each row on the right: `inputIds` and
 * `targets` with the pad id, `labels` with −100, `lossMask` and both position rows with 0. Right
 * padding is harmless under GLM's mask: a real query $i$ only sees keys $j < \mathrm{sep}$ or
 * $j \le i$, all real.
 *
 * The scored fields list every Part B position once, $b \cdot L + t$ with its target and its row's
 * mode, grouped by mode in the order of `GLM_MODES` and row-major within a mode, so that the loss
 * takes part $m$ as one contiguous range without looking at the dense arrays.
 */
export function stackGlmSamples(
  functionName: string,
  samples: readonly GlmSample[],
  padding: ResolvedGlmPadding,
): GlmBatch {
  const length = paddedLength(functionName, samples, padding);
  const counts = countScored(functionName, samples);
  const batchSize = samples.length;
  const size = batchSize * length;
  const inputIds = new Int32Array(size).fill(padding.padTokenId);
  const targets = new Int32Array(size).fill(padding.padTokenId);
  const labels = new Int32Array(size).fill(IGNORE_INDEX);
  const lossMask = new Float32Array(size);
  const positionIds = new Int32Array(size);
  const blockPositionIds = new Int32Array(size);
  const perRow = () => new Int32Array(batchSize);
  const [separators, lengths, modes, textLengths, blankedCounts, spanCounts] = [
    perRow(),
    perRow(),
    perRow(),
    perRow(),
    perRow(),
    perRow(),
  ];
  const scored = counts.span + counts.sentence + counts.document;
  const scoredPositions = new Int32Array(scored);
  const scoredLabels = new Int32Array(scored);
  const scoredParts = new Int32Array(scored);
  // Where each mode's range starts: span first, then sentence, then document.
  const cursor = [0, counts.span, counts.span + counts.sentence];
  samples.forEach((sample, row) => {
    const offset = row * length;
    const mode = GLM_MODES.indexOf(sample.mode);
    inputIds.set(sample.inputIds, offset);
    targets.set(sample.targets, offset);
    positionIds.set(sample.positionIds, offset);
    blockPositionIds.set(sample.blockPositionIds, offset);
    for (let position = 0; position < sample.inputIds.length; position++) {
      if (sample.lossMask[position] === 0) continue;
      const flat = offset + position;
      const target = sample.targets[position]!;
      lossMask[flat] = 1;
      labels[flat] = target;
      const entry = cursor[mode]!++;
      scoredPositions[entry] = flat;
      scoredLabels[entry] = target;
      scoredParts[entry] = mode;
    }
    separators[row] = sample.sep;
    lengths[row] = sample.inputIds.length;
    modes[row] = mode;
    textLengths[row] = sample.textLength;
    blankedCounts[row] = sample.blankedCount;
    spanCounts[row] = sample.spans.length;
  });
  const rows = [batchSize, length];
  const int32 = (data: Int32Array, shape: number[]): BatchField<'int32'> => ({
    dtype: 'int32',
    shape,
    data,
  });
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length, scored },
    fields: {
      inputIds: int32(inputIds, rows),
      targets: int32(targets, rows),
      labels: int32(labels, rows),
      lossMask: { dtype: 'float32', shape: rows, data: lossMask },
      positionIds: int32(positionIds, rows),
      blockPositionIds: int32(blockPositionIds, rows),
      separators: int32(separators, [batchSize]),
      lengths: int32(lengths, [batchSize]),
      modes: int32(modes, [batchSize]),
      textLengths: int32(textLengths, [batchSize]),
      blankedCounts: int32(blankedCounts, [batchSize]),
      spanCounts: int32(spanCounts, [batchSize]),
      scoredPositions: int32(scoredPositions, [scored]),
      scoredLabels: int32(scoredLabels, [scored]),
      scoredParts: int32(scoredParts, [scored]),
    },
    counts,
    samples,
  };
}
