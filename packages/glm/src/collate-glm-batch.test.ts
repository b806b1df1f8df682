import { createRng, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { collateGlmBatch } from './collate-glm-batch';
import { createGlmSampleBuilder } from './create-glm-sample-builder';

const TOKENS = { cls: 1, mask: 2, sop: 3, eop: 4, gMask: 5, pad: 9 };
const builder = createGlmSampleBuilder({ tokens: TOKENS });
const worked = builder.buildWithSpans([11, 12, 13, 14, 15, 16], {
  spans: [
    { start: 3, end: 4 },
    { start: 5, end: 7 },
  ],
  order: [1, 0],
});
const suffix = builder.buildDocument([11, 12, 13, 14], { generationLength: 2 });

describe('collateGlmBatch', () => {
  it('right-pads every field with its own pad value', () => {
    const batch = collateGlmBatch([worked, suffix], { padId: 9 });
    expect(batch.dimensions).toEqual({ batch: 2, sequence: 11 });
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

  it('pads to a fixed length or a multiple, and refuses a sample longer than the length', () => {
    expect(collateGlmBatch([suffix], { sequenceLength: 16 }).dimensions['sequence']).toBe(16);
    expect(collateGlmBatch([worked], { padToMultipleOf: 8 }).dimensions['sequence']).toBe(16);
    let caught: unknown;
    try {
      collateGlmBatch([suffix, worked], { sequenceLength: 10 });
    } catch (error) {
      caught = error;
    }
    expect(ShapeMismatchError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain("collateGlmBatch: argument 'samples[1]'");
    expect((caught as Error).message).toContain('never truncated silently');
  });

  it('refuses an empty batch, foreign samples and a bad pad id', () => {
    expect(() => collateGlmBatch([])).toThrow("collateGlmBatch: argument 'samples' is invalid");
    expect(() => collateGlmBatch([{ tokens: [1, 2] } as never])).toThrow(InvalidArgumentError);
    expect(() => collateGlmBatch([worked], { padId: -1 })).toThrow(
      "collateGlmBatch: argument 'options.padId' is invalid",
    );
    expect(() => collateGlmBatch([worked], { padToMultipleOf: 0 })).toThrow(
      "argument 'options.padToMultipleOf'",
    );
  });

  it('counts Part B tokens per mode, matching the loss masks', () => {
    const mixed = createGlmSampleBuilder({
      tokens: TOKENS,
      bertProb: 0.4,
      gapSentenceProb: 0.3,
      sentenceSplitter: (text) => Array.from(text.keys()).filter((index) => index % 5 === 4),
    });
    const random = createRng(3);
    const samples = Array.from({ length: 40 }, () =>
      mixed.build(
        Array.from({ length: random.int(2, 60) }, () => random.int(20, 90)),
        random,
      ),
    );
    const batch = collateGlmBatch(samples);
    for (const mode of ['span', 'sentence', 'document'] as const) {
      const expected = samples
        .filter((sample) => sample.mode === mode)
        .reduce((sum, sample) => sum + sample.lossMask.reduce((a, b) => a + b, 0), 0);
      expect(batch.counts[mode]).toBe(expected);
    }
    expect(batch.counts.span + batch.counts.sentence + batch.counts.document).toBe(
      batch.fields.lossMask.data.reduce((a, b) => a + b, 0),
    );
  });
});
