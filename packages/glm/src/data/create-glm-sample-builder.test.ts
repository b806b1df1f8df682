import { createRng } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { WORKED_SPANS, WORKED_TEXT, WORKED_TOKEN_IDS } from '../../test/worked-examples';
import type { GlmSample } from '../glm-sample';
import { createGlmSampleBuilder } from './create-glm-sample-builder';
import { createSentenceSplitter } from './sentence-splitter';

// The reference's worked example: 1 = [CLS], 2 = [MASK], 3 = [sop], 4 = [eop], 5 = [gMASK];
// text x1 … x6 = ids 11 … 16; spans {x3} and {x5, x6} in sample coordinates ([CLS] = 0).
const TOKENS = WORKED_TOKEN_IDS;

function rows(sample: GlmSample) {
  return {
    inputIds: Array.from(sample.inputIds),
    targets: Array.from(sample.targets),
    lossMask: Array.from(sample.lossMask),
    positionIds: Array.from(sample.positionIds),
    blockPositionIds: Array.from(sample.blockPositionIds),
    sep: sample.sep,
  };
}

describe('the worked examples of the reference', () => {
  const builder = createGlmSampleBuilder(TOKENS);

  it('reproduces the token-span example with the permutation {x5, x6} then {x3}', () => {
    const sample = builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: [1, 0] });
    expect(rows(sample)).toEqual({
      //        CLS x1  x2 [M] x4 [M] [S] x5  x6 [S] x3
      inputIds: [1, 11, 12, 2, 14, 2, 3, 15, 16, 3, 13],
      //        CLS x1  x2 [M] x4 [M] x5  x6 [E] x3 [E]
      targets: [1, 11, 12, 2, 14, 2, 15, 16, 4, 13, 4],
      lossMask: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
      positionIds: [0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3],
      blockPositionIds: [0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2],
      sep: 6,
    });
    expect(sample.mode).toBe('span');
    expect(sample.spans).toEqual(WORKED_SPANS);
    expect(sample.order).toEqual([1, 0]);
    expect(sample.blankedCount).toBe(3);
    expect(sample.textLength).toBe(7);
    expect(sample.blankRatio).toBeCloseTo(3 / 7, 12);
    expect(sample.fit).toBe('given');
  });

  it('reproduces the unshuffled variant: Part B in text order', () => {
    const unshuffled = createGlmSampleBuilder({ ...TOKENS, shuffle: false });
    // With shuffle off, even a random source leaves the spans in text order.
    const sample = unshuffled.buildWithSpans(WORKED_TEXT, {
      spans: WORKED_SPANS,
      random: createRng(3),
    });
    const partB = (array: readonly number[]) => array.slice(sample.sep);
    const laidOut = rows(sample);
    expect(laidOut.sep).toBe(6);
    expect(laidOut.inputIds.slice(0, 6)).toEqual([1, 11, 12, 2, 14, 2]);
    expect(partB(laidOut.inputIds)).toEqual([3, 13, 3, 15, 16]); // [S] x3 [S] x5 x6
    expect(partB(laidOut.targets)).toEqual([13, 4, 15, 16, 4]); // x3 [E] x5 x6 [E]
    expect(partB(laidOut.positionIds)).toEqual([3, 3, 5, 5, 5]);
    expect(partB(laidOut.blockPositionIds)).toEqual([1, 2, 1, 2, 3]);
    expect(sample.order).toEqual([0, 1]);
    // The same layout as passing the identity permutation explicitly.
    expect(laidOut).toEqual(
      rows(builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: [0, 1] })),
    );
  });

  it('reproduces the [gMASK] example: source [CLS] 11 12, no [eop]', () => {
    const sample = builder.buildDocument([11, 12, 13, 14, 15, 16, 17], { generationLength: 5 });
    expect(rows(sample)).toEqual({
      inputIds: [1, 11, 12, 5, 3, 13, 14, 15, 16],
      targets: [1, 11, 12, 5, 13, 14, 15, 16, 17],
      lossMask: [0, 0, 0, 0, 1, 1, 1, 1, 1],
      positionIds: [0, 1, 2, 3, 3, 3, 3, 3, 3],
      blockPositionIds: [0, 0, 0, 0, 1, 2, 3, 4, 5],
      sep: 4,
    });
    expect(sample.mode).toBe('document');
    expect(sample.spans).toEqual([{ start: 3, end: 8 }]);
  });

  it("numbers positions from 0 with [CLS] at 0, so text tokens get the paper's 1-based numbers", () => {
    const sample = builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: [1, 0] });
    // The paper's figure has no [CLS] and counts from 1: x1 x2 [M] x4 [M] at 1 2 3 4 5, Part B at
    // 5 5 5 3 3. Here positions are 0-based array indices and [CLS] takes 0, which gives the text
    // the very same numbers.
    expect(sample.positionIds[0]).toBe(0);
    expect(sample.inputIds[0]).toBe(TOKENS.clsTokenId);
    expect(Array.from(sample.positionIds.slice(1))).toEqual([1, 2, 3, 4, 5, 5, 5, 5, 3, 3]);
  });
});

describe('createGlmSampleBuilder: layouts it builds', () => {
  it('uses [sMASK] for sentences, or [MASK] when no sMask id is given', () => {
    const withSentenceMask = createGlmSampleBuilder({ ...TOKENS, sMaskTokenId: 7 });
    const spans = [{ start: 4, end: 7 }];
    const text = [11, 12, 10, 13, 14, 10, 15];
    const sentence = withSentenceMask.buildWithSpans(text, { spans, mode: 'sentence' });
    expect(Array.from(sentence.inputIds)).toEqual([1, 11, 12, 10, 7, 15, 3, 13, 14, 10]);
    expect(Array.from(sentence.targets.slice(sentence.sep))).toEqual([13, 14, 10, 4]);
    expect(sentence.mode).toBe('sentence');
    const plain = createGlmSampleBuilder(TOKENS);
    expect(plain.buildWithSpans(text, { spans, mode: 'sentence' }).inputIds[4]).toBe(
      TOKENS.maskTokenId,
    );
  });

  it('uses [MASK] for the suffix when no gMask id is given', () => {
    const plain = createGlmSampleBuilder({
      clsTokenId: 1,
      maskTokenId: 2,
      sopTokenId: 3,
      eopTokenId: 4,
    });
    const sample = plain.buildDocument([11, 12, 13], { generationLength: 2 });
    expect(Array.from(sample.inputIds)).toEqual([1, 11, 2, 3, 12]);
  });

  it('takes texts that already start with [CLS] when prependCls is false', () => {
    const builder = createGlmSampleBuilder({ ...TOKENS, prependCls: false });
    const sample = builder.buildWithSpans([1, ...WORKED_TEXT], {
      spans: WORKED_SPANS,
      order: [1, 0],
    });
    expect(Array.from(sample.inputIds)).toEqual([1, 11, 12, 2, 14, 2, 3, 15, 16, 3, 13]);
  });

  it('accepts an Int32Array text and does not modify it', () => {
    const builder = createGlmSampleBuilder(TOKENS);
    const text = Int32Array.from(WORKED_TEXT);
    const sample = builder.build(text, createRng(1));
    expect(Array.from(text)).toEqual(WORKED_TEXT);
    expect(sample.textLength).toBe(7);
  });

  it('lays out every sampled blank so that Part A and Part B reassemble the text', () => {
    const splitter = createSentenceSplitter({ vocabulary: (id) => (id % 9 === 0 ? '.' : 'w') });
    const builder = createGlmSampleBuilder({
      ...TOKENS,
      sMaskTokenId: 7,
      spanProbability: 0.4,
      sentenceProbability: 0.3,
      sentenceSplitter: splitter,
    });
    const random = createRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const length = random.int(1, 120);
      const text = Array.from({ length }, () => random.int(20, 60));
      const sample = builder.build(text, random);
      const original = [TOKENS.clsTokenId, ...text];
      const sep = sample.sep;
      // Part B segment by segment, in the sample's order.
      let cursor = sep;
      const recovered = [...original];
      for (const index of sample.order) {
        const span = sample.spans[index]!;
        const length = span.end - span.start;
        expect(sample.inputIds[cursor]).toBe(TOKENS.sopTokenId);
        const piece = Array.from(sample.targets.slice(cursor, cursor + length));
        expect(piece).toEqual(original.slice(span.start, span.end));
        cursor += length + (sample.mode === 'document' ? 0 : 1);
        if (sample.mode !== 'document') expect(sample.targets[cursor - 1]).toBe(TOKENS.eopTokenId);
        recovered.splice(span.start, length, ...piece);
      }
      expect(cursor).toBe(sample.inputIds.length);
      expect(recovered).toEqual(original);
      expect(Array.from(sample.lossMask).every((flag, t) => flag === (t >= sep ? 1 : 0))).toBe(
        true,
      );
      expect(sample.inputIds.length).toBe(
        sample.mode === 'document'
          ? original.length + 1
          : original.length + 2 * sample.spans.length,
      );
    }
  });
});

describe('createGlmSampleBuilder: randomness', () => {
  const builder = createGlmSampleBuilder({
    ...TOKENS,
    spanProbability: 0.5,
    sentenceProbability: 0.3,
    sentenceSplitter: (text) => text.map((_, index) => index + 1).filter((end) => end % 7 === 0),
  });
  const text = Array.from({ length: 200 }, (_, index) => 20 + (index % 50));

  it('gives identical samples for the same seed, and different ones for another', () => {
    const build = (seed: number) => {
      const random = createRng(seed);
      return Array.from({ length: 20 }, () => builder.build(text, random));
    };
    expect(build(5)).toEqual(build(5));
    expect(build(5)).not.toEqual(build(6));
  });

  it('draws the order from the random source only when none is given', () => {
    const first = builder.buildWithSpans(WORKED_TEXT, {
      spans: WORKED_SPANS,
      random: createRng(2),
    });
    expect(first.order).toEqual(
      builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, random: createRng(2) }).order,
    );
    expect(builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS }).order).toEqual([0, 1]);
  });
});

describe('createGlmSampleBuilder: bad options and inputs', () => {
  const FACTORY = 'createGlmSampleBuilder';
  const builder = createGlmSampleBuilder(TOKENS);

  it('refuses missing, malformed or equal special-token ids', () => {
    expectInvalidArgument(() => createGlmSampleBuilder(undefined as never), FACTORY, 'options');
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, clsTokenId: undefined } as never),
      FACTORY,
      'options.clsTokenId',
      ['the required option clsTokenId'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, clsTokenId: 1.5 }),
      FACTORY,
      'options.clsTokenId',
      ['the token id of [CLS]'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, sopTokenId: -1 }),
      FACTORY,
      'options.sopTokenId',
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, sopTokenId: 2 }),
      FACTORY,
      'options.sopTokenId',
      ['options.maskTokenId and options.sopTokenId are both 2'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, gMaskTokenId: 4 }),
      FACTORY,
      'options.gMaskTokenId',
      ['options.eopTokenId and options.gMaskTokenId are both 4'],
    );
    // [sMASK] and [gMASK] may share [MASK]'s id (that is what leaving them out does), and the
    // padding id any id.
    expect(
      createGlmSampleBuilder({ ...TOKENS, sMaskTokenId: 2, gMaskTokenId: 2, padTokenId: 4 }).options
        .sMaskTokenId,
    ).toBe(2);
  });

  it('refuses the old nested tokens option and the old option names, naming the new ones', () => {
    expectInvalidArgument(
      () => createGlmSampleBuilder({ tokens: { cls: 1, mask: 2, sop: 3, eop: 4 } } as never),
      FACTORY,
      'options.tokens',
      ['clsTokenId, maskTokenId, sopTokenId, eopTokenId'],
    );
    for (const [old, renamed] of [
      ['bertProb', 'spanProbability'],
      ['gapSentenceProb', 'sentenceProbability'],
      ['singleSpanProb', 'singleSpanProbability'],
      ['gptMinRatio', 'documentMinBlankRatio'],
    ]) {
      expectInvalidArgument(
        () => createGlmSampleBuilder({ ...TOKENS, [old!]: 0.5 } as never),
        FACTORY,
        `options.${old}`,
        [`renamed to ${renamed}`],
      );
    }
  });

  it('refuses probabilities out of range or summing above 1', () => {
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, spanProbability: 1.5 }),
      FACTORY,
      'options.spanProbability',
    );
    expectInvalidArgument(
      () =>
        createGlmSampleBuilder({
          ...TOKENS,
          spanProbability: 0.8,
          sentenceProbability: 0.3,
          sentenceSplitter: () => [],
        }),
      FACTORY,
      'options.sentenceProbability',
      ['spanProbability + sentenceProbability ≤ 1'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, singleSpanProbability: Number.NaN }),
      FACTORY,
      'options.singleSpanProbability',
    );
  });

  it('refuses ratios and span lengths out of range', () => {
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, spanBlankRatio: 0.6 }),
      FACTORY,
      'options.spanBlankRatio',
      ['in (0, 0.5]'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, documentMinBlankRatio: -0.1 }),
      FACTORY,
      'options.documentMinBlankRatio',
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, maxSpanLength: 2.5 }),
      FACTORY,
      'options.maxSpanLength',
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, averageSpanLength: 0 }),
      FACTORY,
      'options.averageSpanLength',
    );
  });

  it('refuses sentence infilling without a splitter, and misspelt options', () => {
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, spanProbability: 0.5, sentenceProbability: 0.5 }),
      FACTORY,
      'options.sentenceSplitter',
      ['createSentenceSplitter'],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, span_probability: 0.5 } as never),
      FACTORY,
      'options.span_probability',
      ["did you mean 'spanProbability'?"],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, gmaskTokenId: 5 } as never),
      FACTORY,
      'options.gmaskTokenId',
      ["did you mean 'gMaskTokenId'?"],
    );
    expectInvalidArgument(
      () => createGlmSampleBuilder({ ...TOKENS, shuffle: 'no' as never }),
      FACTORY,
      'options.shuffle',
    );
  });

  it('refuses empty texts, bad token ids and a missing [CLS]', () => {
    const BUILD = 'GlmSampleBuilder.build';
    expectInvalidArgument(() => builder.build([], createRng(1)), BUILD, 'text', [
      'at least one token after [CLS]',
    ]);
    expectInvalidArgument(() => builder.build([11, -100, 12], createRng(1)), BUILD, 'text[1]', [
      'token id',
    ]);
    expectInvalidArgument(() => builder.build([11, 1.5], createRng(1)), BUILD, 'text[1]');
    expectInvalidArgument(() => builder.build('hello' as never, createRng(1)), BUILD, 'text');
    const noCls = createGlmSampleBuilder({ ...TOKENS, prependCls: false });
    expectInvalidArgument(() => noCls.build([11, 12, 13], createRng(1)), BUILD, 'text[0]', [
      '[CLS] id 1',
    ]);
  });

  it('refuses overlapping, empty, out-of-range or [CLS]-covering spans, and bad orders', () => {
    const WITH_SPANS = 'GlmSampleBuilder.buildWithSpans';
    const spans = (given: unknown) => () =>
      builder.buildWithSpans(WORKED_TEXT, { spans: given as never, order: undefined });
    const entry = (index: number) => `blanks.spans (sorted by start, entry ${index})`;
    expectInvalidArgument(spans([]), WITH_SPANS, 'blanks.spans');
    expectInvalidArgument(spans([{ start: 0, end: 2 }]), WITH_SPANS, entry(0), ['[CLS]']);
    expectInvalidArgument(
      spans([
        { start: 2, end: 4 },
        { start: 3, end: 5 },
      ]),
      WITH_SPANS,
      entry(1),
    );
    expectInvalidArgument(spans([{ start: 3, end: 3 }]), WITH_SPANS, entry(0));
    expectInvalidArgument(spans([{ start: 5, end: 8 }]), WITH_SPANS, entry(0), ['≤ 7']);
    expectInvalidArgument(
      () => builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: [0, 0] }),
      WITH_SPANS,
      'blanks.order',
      ['permutation of 0…1'],
    );
    expectInvalidArgument(
      () => builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, mode: 'document' as never }),
      WITH_SPANS,
      'blanks.mode',
      ['buildDocument'],
    );
    expectInvalidArgument(
      () => builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, orders: [1, 0] } as never),
      WITH_SPANS,
      'blanks.orders',
      ["did you mean 'order'?"],
    );
  });

  it('refuses a generation length outside the text, and sentence mode without a splitter', () => {
    expectInvalidArgument(
      () => builder.buildDocument(WORKED_TEXT, { generationLength: 7 }),
      'GlmSampleBuilder.buildDocument',
      'options.generationLength',
      ['[1, 6]'],
    );
    expectInvalidArgument(
      () => builder.build(WORKED_TEXT, createRng(1), { mode: 'sentence', singleSpan: false }),
      'GlmSampleBuilder.build',
      'choice.mode',
      ['no sentence splitter'],
    );
    expectInvalidArgument(
      () => builder.build(WORKED_TEXT, createRng(1), { mode: 'gpt' as never, singleSpan: false }),
      'GlmSampleBuilder.build',
      'choice.mode',
      ["'span', 'sentence', 'document'"],
    );
    expectInvalidArgument(
      () => builder.build(WORKED_TEXT, createRng(1), { mode: 'span', single_span: true } as never),
      'GlmSampleBuilder.build',
      'choice.single_span',
      ["did you mean 'singleSpan'?"],
    );
    expectInvalidArgument(
      () => builder.buildDocument(WORKED_TEXT, { generation_length: 2 } as never),
      'GlmSampleBuilder.buildDocument',
      'options.generation_length',
      ["did you mean 'generationLength'?"],
    );
  });

  it('reports a splitter that returns bad offsets', () => {
    const bad = createGlmSampleBuilder({
      ...TOKENS,
      spanProbability: 0,
      sentenceProbability: 1,
      sentenceSplitter: () => [3, 2],
    });
    expectInvalidArgument(
      () => bad.build(WORKED_TEXT, createRng(1)),
      'sentenceSplitter',
      'result[1]',
      ['increasing'],
    );
  });
});
