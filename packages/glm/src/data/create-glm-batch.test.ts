import { createRng, ShapeMismatchError } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import {
  WORKED_ORDER,
  WORKED_SPANS,
  WORKED_TEXT,
  WORKED_TOKEN_IDS,
} from '../../test/worked-examples';
import { createGlmBatch } from './create-glm-batch';
import { createGlmSampleBuilder } from './create-glm-sample-builder';

const TOKENS = WORKED_TOKEN_IDS;
const builder = createGlmSampleBuilder(TOKENS);
const worked = builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: WORKED_ORDER });
const suffix = builder.buildDocument([11, 12, 13, 14], { generationLength: 2 });

describe('createGlmBatch', () => {
  it('right-pads every field with its own pad value', () => {
    const batch = createGlmBatch([worked, suffix], { ...TOKENS, padTokenId: 9 });
    expect(batch.dimensions).toEqual({ batch: 2, sequence: 11, scored: 7 });
    const row = (name: keyof typeof batch.fields, index: number) =>
      Array.from(batch.fields[name].data.slice(index * 11, index * 11 + 11));
    // [CLS] 11 12 [gMASK] [sop] 13 | targets [CLS] 11 12 [gMASK] 13 14
    expect(row('inputIds', 1)).toEqual([1, 11, 12, 5, 3, 13, 9, 9, 9, 9, 9]);
    expect(row('targets', 1)).toEqual([1, 11, 12, 5, 13, 14, 9, 9, 9, 9, 9]);
    expect(row('labels', 1)).toEqual([
      -100, -100, -100, -100, 13, 14, -100, -100, -100, -100, -100,
    ]);
    expect(row('lossMask', 1)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect(row('positionIds', 1)).toEqual([0, 1, 2, 3, 3, 3, 0, 0, 0, 0, 0]);
    expect(row('blockPositionIds', 1)).toEqual([0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]);
    expect(row('labels', 0)).toEqual([-100, -100, -100, -100, -100, -100, 15, 16, 4, 13, 4]);
    expect(Array.from(batch.fields.separators.data)).toEqual([6, 4]);
    expect(Array.from(batch.fields.lengths.data)).toEqual([11, 6]);
    expect(Array.from(batch.fields.modes.data)).toEqual([0, 2]);
    expect(Array.from(batch.fields.textLengths.data)).toEqual([7, 5]);
    expect(Array.from(batch.fields.blankedCounts.data)).toEqual([3, 2]);
    expect(Array.from(batch.fields.spanCounts.data)).toEqual([2, 1]);
    expect(batch.counts).toEqual({ span: 5, sentence: 0, document: 2 });
    expect(batch.samples).toEqual([worked, suffix]);
  });

  it('lists the scored positions once, grouped by part, with their labels', () => {
    const batch = createGlmBatch([suffix, worked, suffix], TOKENS);
    const length = batch.dimensions['sequence']!;
    expect(length).toBe(11);
    // The span row (row 1) first, then the two document rows in row order.
    expect(Array.from(batch.fields.scoredPositions.data)).toEqual([
      11 + 6,
      11 + 7,
      11 + 8,
      11 + 9,
      11 + 10,
      4,
      5,
      22 + 4,
      22 + 5,
    ]);
    expect(Array.from(batch.fields.scoredLabels.data)).toEqual([15, 16, 4, 13, 4, 13, 14, 13, 14]);
    expect(Array.from(batch.fields.scoredParts.data)).toEqual([0, 0, 0, 0, 0, 2, 2, 2, 2]);
    // The same positions and labels as the dense arrays say, by an independent scan.
    const dense: [number, number][] = [];
    batch.fields.labels.data.forEach((label, flat) => {
      if (label !== -100) dense.push([flat, label]);
    });
    const listed = Array.from(batch.fields.scoredPositions.data, (flat, entry) => [
      flat,
      batch.fields.scoredLabels.data[entry]!,
    ]);
    expect(listed.sort((a, b) => a[0]! - b[0]!)).toEqual(dense);
  });

  it('pads to maxLength or a multiple, and refuses a sample longer than maxLength', () => {
    const fixed = { ...TOKENS, maxLength: 16, padding: 'max-length' } as const;
    expect(createGlmBatch([suffix], fixed).dimensions['sequence']).toBe(16);
    expect(createGlmBatch([suffix], { ...TOKENS, maxLength: 16 }).dimensions['sequence']).toBe(6);
    expect(createGlmBatch([worked], { ...TOKENS, padToMultipleOf: 8 }).dimensions['sequence']).toBe(
      16,
    );
    const error = expectInvalidArgument(
      () => createGlmBatch([suffix, worked], { ...TOKENS, maxLength: 10 }),
      'createGlmBatch',
      'examples[1]',
      ['never truncated silently', 'a sample of 11 positions'],
      'shape',
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expectInvalidArgument(
      () => createGlmBatch([suffix], { ...TOKENS, padding: 'max-length' }),
      'createGlmBatch',
      'options.maxLength',
      ["padding is 'max-length'"],
    );
  });

  it('builds texts with the random source, and mixes them with given samples', () => {
    const texts = [Array.from({ length: 30 }, (_, index) => 20 + index), [40, 41, 42]];
    const first = createGlmBatch([...texts, worked], TOKENS, createRng(5));
    expect(first).toEqual(createGlmBatch([...texts, worked], TOKENS, createRng(5)));
    expect(first.samples[2]).toBe(worked);
    expect(first.size).toBe(3);
    expectInvalidArgument(() => createGlmBatch(texts, TOKENS), 'createGlmBatch', 'random', [
      'RandomSource',
    ]);
  });

  it('refuses an empty batch, foreign samples, bad options and old option names', () => {
    expectInvalidArgument(() => createGlmBatch([], TOKENS), 'createGlmBatch', 'examples');
    expectInvalidArgument(
      () => createGlmBatch([{ inputIds: [1, 2] } as never], TOKENS),
      'createGlmBatch',
      'examples[0]',
      ['GlmSample'],
    );
    expectInvalidArgument(
      () =>
        createGlmBatch(
          [{ ...worked, lossMask: Uint8Array.of(0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 1) }],
          TOKENS,
        ),
      'createGlmBatch',
      'examples[0].lossMask[6]',
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, padTokenId: -1 }),
      'createGlmBatch',
      'options.padTokenId',
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, padToMultipleOf: 0 }),
      'createGlmBatch',
      'options.padToMultipleOf',
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, padding: 'longer' as never }),
      'createGlmBatch',
      'options.padding',
      ["did you mean 'longest'?"],
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, padToMultiple: 8 } as never),
      'createGlmBatch',
      'options.padToMultiple',
      ["did you mean 'padToMultipleOf'?"],
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, sequenceLength: 16 } as never),
      'createGlmBatch',
      'options.sequenceLength',
      ['renamed to maxLength'],
    );
    expectInvalidArgument(
      () => createGlmBatch([worked], { ...TOKENS, padId: 0 } as never),
      'createGlmBatch',
      'options.padId',
      ['renamed to padTokenId'],
    );
  });

  it('counts Part B tokens per mode, matching the loss masks', () => {
    const options = {
      ...TOKENS,
      spanProbability: 0.4,
      sentenceProbability: 0.3,
      sentenceSplitter: (text: Int32Array) =>
        Array.from(text.keys()).filter((index) => index % 5 === 4),
    };
    const mixed = createGlmSampleBuilder(options);
    const random = createRng(3);
    const samples = Array.from({ length: 40 }, () =>
      mixed.build(
        Array.from({ length: random.int(2, 60) }, () => random.int(20, 90)),
        random,
      ),
    );
    const batch = createGlmBatch(samples, options);
    for (const mode of ['span', 'sentence', 'document'] as const) {
      const expected = samples
        .filter((sample) => sample.mode === mode)
        .reduce((sum, sample) => sum + sample.lossMask.reduce((a, b) => a + b, 0), 0);
      expect(batch.counts[mode]).toBe(expected);
    }
    expect(batch.counts.span + batch.counts.sentence + batch.counts.document).toBe(
      batch.fields.lossMask.data.reduce((a, b) => a + b, 0),
    );
    // scoredParts is non-decreasing, and each part's range has counts[m] entries.
    const parts = Array.from(batch.fields.scoredParts.data);
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
    expect(parts.filter((part) => part === 1)).toHaveLength(batch.counts.sentence);
  });
});
