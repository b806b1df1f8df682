import {
  type BatchField,
  type BatchFieldSpec,
  IGNORE_INDEX,
  InvalidArgumentError,
  type ObjectiveBatchV1,
  ShapeMismatchError,
} from '@lm-objectives/core';
import { GLM_MODES, type GlmMode, type GlmSample } from './glm-sample';
import { checkNumberOption, checkOptionKeys, isTokenId } from './internal/validate';

/** The names of a GLM batch's fields. */
export type GlmFieldName =
  | 'inputIds'
  | 'targets'
  | 'labels'
  | 'lossMask'
  | 'positionIds'
  | 'blockPositionIds'
  | 'separators'
  | 'lengths'
  | 'modes'
  | 'textLengths'
  | 'blankedCounts'
  | 'spanCounts';

const ROW = ['batch', 'sequence'] as const;
const PER_SAMPLE = ['batch'] as const;

/** The declaration of every field of a {@link GlmBatch}: dtype, named dimensions, meaning. */
export const GLM_BATCH_FIELDS: Readonly<Record<GlmFieldName, BatchFieldSpec>> = Object.freeze({
  inputIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'model input: Part A (text with one mask token per blank) then Part B ([sop] + span per blank); right-padded with the pad id',
  },
  targets: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'aligned targets (no shift): Part A copies its tokens, Part B holds span + [eop]; padded with the pad id',
  },
  labels: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'targets where lossMask is 1, the ignore index −100 elsewhere (what the loss reads)',
  },
  lossMask: {
    dtype: 'float32',
    dimensions: ROW,
    description: '1 on Part B, 0 on Part A and padding',
  },
  positionIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      "first position row, 0-based ([CLS] = 0): Part A's own index; in Part B, the position of the span's mask token; 0 in padding",
  },
  blockPositionIds: {
    dtype: 'int32',
    dimensions: ROW,
    description:
      'second position row: 0 in Part A, 1, 2, … along each Part B segment; 0 in padding',
  },
  separators: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'sep = len(Part A) per row: query i attends key j iff j < sep or j ≤ i',
  },
  lengths: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'unpadded length of each row (Part A + Part B)',
  },
  modes: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description:
      'corruption mode per row: 0 token spans ([MASK]), 1 sentences ([sMASK]), 2 document suffix ([gMASK])',
  },
  textLengths: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'n: the length of each text including [CLS], before blanking',
  },
  blankedCounts: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'tokens blanked per row',
  },
  spanCounts: {
    dtype: 'int32',
    dimensions: PER_SAMPLE,
    description: 'blanks (spans, sentences or the one suffix) per row',
  },
});

/**
 * A model-ready batch of GLM samples, right-padded to a common length. `counts` holds the Part B
 * tokens of each mode (the `count` of each loss part); `samples` keeps the unpadded samples for
 * inspection.
 */
export interface GlmBatch extends ObjectiveBatchV1<GlmFieldName, GlmMode> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly targets: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly lossMask: BatchField<'float32'>;
    readonly positionIds: BatchField<'int32'>;
    readonly blockPositionIds: BatchField<'int32'>;
    readonly separators: BatchField<'int32'>;
    readonly lengths: BatchField<'int32'>;
    readonly modes: BatchField<'int32'>;
    readonly textLengths: BatchField<'int32'>;
    readonly blankedCounts: BatchField<'int32'>;
    readonly spanCounts: BatchField<'int32'>;
  };
  readonly samples: readonly GlmSample[];
}

/** Options of {@link collateGlmBatch}. */
export interface CollateGlmBatchOptions {
  /** Id written into `inputIds` and `targets` after a row's end. Default 0 (the reference's). */
  readonly padId?: number;
  /** Pad every row to exactly this length; a longer sample is an error (never truncated). Default: the longest row. */
  readonly sequenceLength?: number;
  /** Round the padded length up to a multiple of this (e.g. 8 for faster kernels). Default 1. */
  readonly padToMultipleOf?: number;
}

/**
 * Stacks samples into a {@link GlmBatch}, padding each row on the right: `inputIds`/`targets` with
 * `padId`, `labels` with −100, `lossMask` and both position rows with 0. Right padding is harmless
 * under GLM's mask: a real query $i$ only sees keys $j < \mathrm{sep}$ or $j \le i$, all real.
 */
export function collateGlmBatch(
  samples: readonly GlmSample[],
  options: CollateGlmBatchOptions = {},
): GlmBatch {
  const functionName = 'collateGlmBatch';
  if (!Array.isArray(samples as unknown) || samples.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'samples',
      expected: 'a non-empty array of GLM samples',
      received: samples,
      fix: 'build at least one sample with a GlmSampleBuilder.',
    });
  }
  checkOptionKeys(functionName, options, ['padId', 'sequenceLength', 'padToMultipleOf']);
  const padId = options.padId ?? 0;
  if (!isTokenId(padId)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.padId',
      expected: 'a token id, an integer in [0, 2^31)',
      received: padId,
      fix: 'pass the id of your padding token (or leave the default 0).',
    });
  }
  const multiple = checkNumberOption(
    functionName,
    'options.padToMultipleOf',
    options.padToMultipleOf,
    1,
    { min: 1, max: 1 << 20, integer: true },
    'pass a positive integer such as 8.',
  );
  let longest = 0;
  for (const [index, sample] of samples.entries()) {
    if (
      sample == null ||
      !(sample.tokens instanceof Int32Array) ||
      !(sample.sep >= 0) ||
      !GLM_MODES.includes(sample.mode)
    ) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `samples[${index}]`,
        expected: 'a GlmSample made by a GlmSampleBuilder',
        received: sample,
        fix: 'pass the samples returned by builder.build / buildWithSpans / buildDocument.',
      });
    }
    longest = Math.max(longest, sample.tokens.length);
  }
  let length = Math.ceil(longest / multiple) * multiple;
  if (options.sequenceLength !== undefined) {
    length = checkNumberOption(
      functionName,
      'options.sequenceLength',
      options.sequenceLength,
      length,
      { min: 1, integer: true },
      'pass a positive integer.',
    );
    if (length < longest) {
      const row = samples.findIndex((sample) => sample.tokens.length === longest);
      throw new ShapeMismatchError({
        functionName,
        argumentName: `samples[${row}]`,
        expected: `rows of at most sequenceLength = ${length} positions`,
        received: samples[row],
        receivedDescription: `a sample of ${longest} positions (Part A ${samples[row]!.sep} + Part B ${longest - samples[row]!.sep})`,
        fix: 'raise sequenceLength, or build from shorter texts: a sample is n + 2k long for n text tokens and k blanks (n + 1 for [gMASK]); it is never truncated silently.',
      });
    }
  }
  const batchSize = samples.length;
  const size = batchSize * length;
  const inputIds = new Int32Array(size).fill(padId);
  const targets = new Int32Array(size).fill(padId);
  const labels = new Int32Array(size).fill(IGNORE_INDEX);
  const lossMask = new Float32Array(size);
  const positionIds = new Int32Array(size);
  const blockPositionIds = new Int32Array(size);
  const perSample = () => new Int32Array(batchSize);
  const separators = perSample();
  const lengths = perSample();
  const modes = perSample();
  const textLengths = perSample();
  const blankedCounts = perSample();
  const spanCounts = perSample();
  const counts: Record<GlmMode, number> = { span: 0, sentence: 0, document: 0 };
  samples.forEach((sample, row) => {
    const offset = row * length;
    const rowLength = sample.tokens.length;
    inputIds.set(sample.tokens, offset);
    targets.set(sample.targets, offset);
    positionIds.set(sample.positionIds, offset);
    blockPositionIds.set(sample.blockPositionIds, offset);
    let counted = 0;
    for (let position = 0; position < rowLength; position++) {
      if (sample.lossMask[position] !== 0) {
        lossMask[offset + position] = 1;
        labels[offset + position] = sample.targets[position]!;
        counted++;
      }
    }
    counts[sample.mode] += counted;
    separators[row] = sample.sep;
    lengths[row] = rowLength;
    modes[row] = GLM_MODES.indexOf(sample.mode);
    textLengths[row] = sample.textLength;
    blankedCounts[row] = sample.blankedCount;
    spanCounts[row] = sample.spans.length;
  });
  const rows = [batchSize, length];
  const int32 = (data: Int32Array, shape = rows): BatchField<'int32'> => ({
    dtype: 'int32',
    shape,
    data,
  });
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length },
    fields: {
      inputIds: int32(inputIds),
      targets: int32(targets),
      labels: int32(labels),
      lossMask: { dtype: 'float32', shape: rows, data: lossMask },
      positionIds: int32(positionIds),
      blockPositionIds: int32(blockPositionIds),
      separators: int32(separators, [batchSize]),
      lengths: int32(lengths, [batchSize]),
      modes: int32(modes, [batchSize]),
      textLengths: int32(textLengths, [batchSize]),
      blankedCounts: int32(blankedCounts, [batchSize]),
      spanCounts: int32(spanCounts, [batchSize]),
    },
    counts,
    samples,
  };
}
