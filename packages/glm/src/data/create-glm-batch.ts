import { checkRandomSource, InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import type { GlmBatch } from '../glm-batch';
import {
  GLM_BATCH_OPTION_KEYS,
  type GlmBatchOptions,
  type ResolvedGlmPadding,
  resolveGlmPadding,
  resolveGlmSampleBuilderOptions,
} from '../glm-options';
import { GLM_MODES, type GlmExample, type GlmSample, isGlmSample } from '../glm-sample';
import type { GlmModeChoice } from './choose-glm-mode';
import {
  createGlmSampleBuilderFromResolved,
  type GlmSampleBuilder,
} from './create-glm-sample-builder';
import { stackGlmSamples } from './stack-glm-samples';

/** What a batch is made with: the sample builder and the padding rules, resolved once. */
export interface PreparedGlmBatchOptions {
  readonly builder: GlmSampleBuilder;
  readonly padding: ResolvedGlmPadding;
}

/**
 * Resolves {@link GlmBatchOptions} once (the builder's options and the padding); `allowed` lists
 * every option name the calling factory accepts.
 */
export function prepareGlmBatchOptions(
  functionName: string,
  options: unknown,
  allowed: readonly string[] = GLM_BATCH_OPTION_KEYS,
): PreparedGlmBatchOptions {
  const builderOptions = resolveGlmSampleBuilderOptions(functionName, options, allowed);
  const padding = resolveGlmPadding(
    functionName,
    options as Readonly<Record<string, unknown>>,
    builderOptions.padTokenId,
  );
  return { builder: createGlmSampleBuilderFromResolved(builderOptions), padding };
}

/** Throws unless a built sample passed as an example is consistent: five arrays of one length, a valid mode and `sep`. */
function checkGivenSample(functionName: string, row: number, sample: GlmSample): GlmSample {
  const length = sample.inputIds instanceof Int32Array ? sample.inputIds.length : -1;
  const rowsOk =
    length > 0 &&
    [sample.targets, sample.positionIds, sample.blockPositionIds].every(
      (array) => array instanceof Int32Array && array.length === length,
    ) &&
    sample.lossMask instanceof Uint8Array &&
    sample.lossMask.length === length;
  const valid =
    rowsOk &&
    GLM_MODES.includes(sample.mode) &&
    Number.isInteger(sample.sep) &&
    sample.sep >= 1 &&
    sample.sep <= length &&
    Array.isArray(sample.spans);
  if (!valid) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `examples[${row}]`,
      expected:
        'a text (token ids) or a GlmSample made by a GlmSampleBuilder (inputIds, targets, positionIds, blockPositionIds as Int32Arrays and lossMask as a Uint8Array of one length, a mode and sep)',
      received: sample,
      fix: 'pass the samples returned by builder.build / buildWithSpans / buildDocument unchanged, or the texts themselves.',
    });
  }
  return sample;
}

/**
 * Builds a batch from examples with prepared options: each text becomes a sample by the builder's
 * rules (with one mode for the whole batch under `modeChoice: 'per-batch'`), each given sample is
 * checked and taken as it is, and the samples are stacked and padded ({@link stackGlmSamples}).
 */
export function assembleGlmBatch(
  functionName: string,
  examples: readonly GlmExample[],
  prepared: PreparedGlmBatchOptions,
  random: RandomSource | undefined,
): GlmBatch {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'examples',
      expected: 'a non-empty array of texts (token ids) or GLM samples',
      received: examples,
      fix: 'pass at least one tokenized text.',
    });
  }
  const { builder, padding } = prepared;
  const hasText = examples.some((example) => !isGlmSample(example));
  const source = hasText
    ? checkRandomSource({ functionName, argumentName: 'random' }, random)
    : undefined;
  const batchChoice: GlmModeChoice | undefined =
    source !== undefined && padding.modeChoice === 'per-batch'
      ? builder.chooseMode(source)
      : undefined;
  const samples = examples.map((example, row) =>
    isGlmSample(example)
      ? checkGivenSample(functionName, row, example)
      : builder.build(example, source!, batchChoice),
  );
  return stackGlmSamples(functionName, samples, padding);
}

/**
 * GLM's data side, examples → batch: every text becomes a blank-infilling sample by the rules of
 * `createGlmSampleBuilder` (token spans, sentences or the `[gMASK]` suffix, drawn from `random`),
 * every given `GlmSample` is taken as it is, and the rows are right-padded into a
 * {@link GlmBatch}: `inputIds`/`targets` with `padTokenId`, `labels` with −100, `lossMask` and both
 * position rows with 0. The padded length is the longest row (or `maxLength` with
 * `padding: 'max-length'`), rounded up to `padToMultipleOf`; a row longer than `maxLength` is an
 * error, never truncated. The batch also carries the $S$ scored positions, their labels and parts
 * (see `GLM_BATCH_FIELDS`), computed here once.
 *
 * @param examples texts as token ids, or samples built by a `GlmSampleBuilder`.
 * @param options the special-token ids, the builder's options and the padding options.
 * @param random the only source of randomness; needed when any example is a text.
 *
 * @example
 * const ids = { clsTokenId: 1, maskTokenId: 2, sopTokenId: 3, eopTokenId: 4, gMaskTokenId: 5 };
 * const batch = createGlmBatch(texts, ids, createRng(7));
 * const worked = createGlmBatch([builder.buildWithSpans(text, { spans, order })], ids);
 */
export function createGlmBatch(
  examples: readonly GlmExample[],
  options: GlmBatchOptions,
  random?: RandomSource,
): GlmBatch {
  const functionName = 'createGlmBatch';
  return assembleGlmBatch(
    functionName,
    examples,
    prepareGlmBatchOptions(functionName, options),
    random,
  );
}
