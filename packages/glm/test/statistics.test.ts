// Statistical properties of the sample builder, over many seeded samples. Every tolerance is
// stated with the reason it can only fail for a wrong implementation (or with the stated
// probability).
import { createRng, type RandomSource } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import {
  createGlmSampleBuilder,
  createSentenceSplitter,
  type GlmSample,
  type SentenceSplitter,
  truncatedPoissonWeights,
} from '../src/index';

const TOKENS = {
  clsTokenId: 1,
  maskTokenId: 2,
  sopTokenId: 3,
  eopTokenId: 4,
  gMaskTokenId: 5,
  sMaskTokenId: 6,
};
const PERIOD = 7;

/** Word ids in 10…999 (never a special token), with sentence-ending periods at `periodRate`. */
function randomText(random: RandomSource, length: number, periodRate = 0): number[] {
  const periodBelow = Math.floor(periodRate * 1000);
  return Array.from({ length }, () => {
    const draw = random.nextUint32();
    return draw % 1000 < periodBelow ? PERIOD : 10 + ((draw >>> 10) % 990);
  });
}

const periodSplitter: SentenceSplitter = (text) => {
  const ends: number[] = [];
  text.forEach((id, index) => {
    if (id === PERIOD) ends.push(index + 1);
  });
  return ends;
};

/**
 * Pearson's chi-square statistic of observed span lengths against the truncated Poisson weights,
 * with lengths 1…8 in their own bins and 9…39 pooled (every expected count ≥ 5 at 20k spans).
 */
function chiSquare(lengths: readonly number[], weights: Float64Array): number {
  const bins = 9;
  const observed = new Array<number>(bins).fill(0);
  for (const length of lengths) observed[Math.min(length, bins) - 1]!++;
  let statistic = 0;
  for (let bin = 0; bin < bins; bin++) {
    const probability =
      bin < bins - 1 ? weights[bin]! : weights.slice(bins - 1).reduce((sum, w) => sum + w, 0);
    const expected = probability * lengths.length;
    statistic += (observed[bin]! - expected) ** 2 / expected;
  }
  return statistic;
}

/** χ² with 8 degrees of freedom exceeds this with probability 0.001 (P(χ²₈ > 26.1245) = 0.001). */
const CHI_SQUARE_8_CRITICAL_0_001 = 26.1245;

function spanLengthsOf(samples: readonly GlmSample[]): number[] {
  return samples.flatMap((sample) => sample.spans.map((span) => span.end - span.start));
}

describe('token spans', () => {
  const builder = createGlmSampleBuilder(TOKENS);
  const random = createRng(2024);
  const samples = Array.from({ length: 1000 }, () =>
    builder.build(randomText(random, random.int(300, 700)), random),
  );

  it('have Poisson(3) lengths on 1…39 over ≥ 20k spans (chi-square, p-threshold 0.001)', () => {
    const lengths = spanLengthsOf(samples);
    expect(lengths.length).toBeGreaterThanOrEqual(20_000);
    expect(samples.every((sample) => sample.fit === 'drawn')).toBe(true);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(39);
    const weights = truncatedPoissonWeights(3, 39);
    expect(chiSquare(lengths, weights)).toBeLessThan(CHI_SQUARE_8_CRITICAL_0_001);
    // The test has power: spans from a Poisson mean of 2.8 instead of 3 fail it.
    const shifted = createGlmSampleBuilder({ ...TOKENS, averageSpanLength: 2.8 });
    const other = createRng(7);
    const shiftedLengths = spanLengthsOf(
      Array.from({ length: 1000 }, () => shifted.build(randomText(other, 500), other)),
    );
    expect(chiSquare(shiftedLengths, weights)).toBeGreaterThan(CHI_SQUARE_8_CRITICAL_0_001);
  });

  it('blank at least floor(0.15·n) tokens, overshooting by less than one span', () => {
    let blanked = 0;
    let total = 0;
    for (const sample of samples) {
      const target = Math.floor(0.15 * sample.textLength);
      const longest = Math.max(...sample.spans.map((span) => span.end - span.start));
      expect(sample.blankedCount).toBeGreaterThanOrEqual(target);
      // Drawing stops at the first total ≥ target, so removing the last drawn span (at most the
      // longest) falls below the target.
      expect(sample.blankedCount - longest).toBeLessThan(target);
      blanked += sample.blankedCount;
      total += sample.textLength;
    }
    // Over the corpus the ratio exceeds 15%: floor() loses < 1 token, overshoot adds ~1.5 a sample.
    expect(blanked / total).toBeGreaterThanOrEqual(0.15);
    expect(blanked / total).toBeLessThan(0.16);
  });

  it('never touch each other, never cover [CLS], and stay inside the text', () => {
    const random = createRng(99);
    const lengthsSeen = new Set<string>();
    for (let trial = 0; trial < 4000; trial++) {
      // Short texts too: they exercise the redraw and shortening paths.
      const sample = builder.build(randomText(random, random.int(1, 80)), random);
      lengthsSeen.add(sample.fit);
      let previousEnd = 0; // [CLS] at 0 must stay unmasked
      for (const span of sample.spans) {
        expect(span.start).toBeGreaterThan(previousEnd);
        expect(span.end).toBeGreaterThan(span.start);
        previousEnd = span.end;
      }
      expect(previousEnd).toBeLessThanOrEqual(sample.textLength);
      expect(sample.blankedCount).toBeGreaterThanOrEqual(
        Math.max(1, Math.floor(0.15 * sample.textLength)),
      );
    }
    // Short texts do need the documented fallbacks, and no sample is dropped.
    expect(lengthsSeen).toEqual(new Set(['drawn', 'redrawn', 'shortened']));
  });

  it('come singly with probability singleSpanProbability (±2 points over 10k samples)', () => {
    const single = createGlmSampleBuilder({ ...TOKENS, singleSpanProbability: 0.3 });
    const random = createRng(5);
    let singles = 0;
    const trials = 10_000;
    for (let trial = 0; trial < trials; trial++) {
      // 200 tokens need ≥ 30 blanked: a multi-span sample always has more than one span.
      if (single.build(randomText(random, 199), random).spans.length === 1) singles++;
    }
    // Standard deviation sqrt(0.21 / 10k) ≈ 0.46 points: ±2 is over 4 deviations.
    expect(Math.abs(singles / trials - 0.3)).toBeLessThan(0.02);
  });
});

describe('sentences', () => {
  const builder = createGlmSampleBuilder({
    ...TOKENS,
    spanProbability: 0,
    sentenceProbability: 1,
    sentenceSplitter: periodSplitter,
  });

  it('are blanked whole, and only until floor(0.15·n) is reached', () => {
    const random = createRng(31);
    for (let trial = 0; trial < 2000; trial++) {
      const text = randomText(random, random.int(2, 200), 0.08);
      const sample = builder.build(text, random);
      expect(sample.mode).toBe('sentence');
      expect(sample.inputIds[sample.inputIds.indexOf(TOKENS.sMaskTokenId)]).toBe(
        TOKENS.sMaskTokenId,
      );
      // Sentence boundaries in sample coordinates ([CLS] = 0): a span must start at a sentence
      // start and end at that sentence's end.
      const ends = [...Array.from(periodSplitter(Int32Array.from(text)), (end) => end + 1)];
      if (ends[ends.length - 1] !== text.length + 1) ends.push(text.length + 1);
      const starts = [1, ...ends.slice(0, -1)];
      for (const span of sample.spans) {
        const sentence = starts.indexOf(span.start);
        expect(sentence, `span ${span.start}…${span.end} starts a sentence`).toBeGreaterThanOrEqual(
          0,
        );
        expect(span.end).toBe(ends[sentence]);
      }
      const target = Math.max(1, Math.floor(0.15 * sample.textLength));
      expect(sample.blankedCount).toBeGreaterThanOrEqual(target);
      const lengths = sample.spans.map((span) => span.end - span.start);
      // Taking stopped at the first sentence that reached the target.
      expect(sample.blankedCount - Math.max(...lengths)).toBeLessThan(target);
    }
  });

  it('split CJK text with the default marks', () => {
    // Covered in detail by sentence-splitter.test.ts; here end to end through the builder.
    const vocabulary = [
      '[CLS]',
      '[MASK]',
      '[sop]',
      '[eop]',
      '[gMASK]',
      '[sMASK]',
      '。',
      '你',
      '好',
      '！',
    ];
    const cjk = createGlmSampleBuilder({
      ...TOKENS,
      spanProbability: 0,
      sentenceProbability: 1,
      sentenceBlankRatio: 0.3,
      sentenceSplitter: createSentenceSplitter({ vocabulary }),
    });
    // 你好。你！ = two sentences of 3 and 2 tokens; either may be drawn, but only whole.
    const seen = new Set<string>();
    const random = createRng(1);
    for (let trial = 0; trial < 50; trial++) {
      const sample = cjk.build([7, 8, 6, 7, 9], random);
      seen.add(JSON.stringify(sample.spans));
    }
    expect([...seen].sort()).toEqual([
      JSON.stringify([{ start: 1, end: 4 }]),
      JSON.stringify([{ start: 4, end: 6 }]),
    ]);
  });
});

describe('the document suffix', () => {
  it('is 50–100% of the text with the default documentMinBlankRatio, spread over the whole range', () => {
    const builder = createGlmSampleBuilder({ ...TOKENS, spanProbability: 0 });
    const random = createRng(8);
    const ratios: number[] = [];
    for (let trial = 0; trial < 5000; trial++) {
      const text = randomText(random, random.int(2, 600));
      const sample = builder.build(text, random);
      expect(sample.mode).toBe('document');
      const [span] = sample.spans;
      expect(span!.end).toBe(sample.textLength);
      const ratio = sample.blankedCount / text.length;
      expect(ratio).toBeGreaterThanOrEqual(0.5);
      expect(ratio).toBeLessThanOrEqual(1);
      if (text.length > 20) ratios.push(ratio);
    }
    // A uniform length over [n/2, n − 2] averages 3/4 and reaches both ends.
    const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
    expect(Math.abs(mean - 0.75)).toBeLessThan(0.01);
    expect(Math.min(...ratios)).toBeLessThan(0.52);
    expect(Math.max(...ratios)).toBeGreaterThan(0.97);
  });
});

describe('the permutation and the mixture', () => {
  it('puts 3 spans in each of the 6 orders with frequency 1/6 ± 2 points over 12k samples', () => {
    const builder = createGlmSampleBuilder(TOKENS);
    const random = createRng(12);
    const spans = [
      { start: 2, end: 3 },
      { start: 5, end: 7 },
      { start: 9, end: 10 },
    ];
    const text = randomText(random, 12);
    const counts = new Map<string, number>();
    const trials = 12_000;
    for (let trial = 0; trial < trials; trial++) {
      const { order } = builder.buildWithSpans(text, { spans, random });
      counts.set(order.join(''), (counts.get(order.join('')) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    // Standard deviation sqrt((1/6)(5/6) / 12k) ≈ 0.34 points: ±2 is about 6 deviations.
    for (const count of counts.values())
      expect(Math.abs(count / trials - 1 / 6)).toBeLessThan(0.02);
  });

  it('also permutes sampled spans uniformly (3-span samples, ±2 points)', () => {
    const builder = createGlmSampleBuilder(TOKENS);
    const random = createRng(13);
    const counts = new Map<string, number>();
    let trials = 0;
    while (trials < 6000) {
      const sample = builder.build(randomText(random, 39), random);
      if (sample.spans.length !== 3) continue;
      trials++;
      counts.set(sample.order.join(''), (counts.get(sample.order.join('')) ?? 0) + 1);
    }
    // sqrt((1/6)(5/6) / 6k) ≈ 0.48 points: ±2 is over 4 deviations.
    expect(counts.size).toBe(6);
    for (const count of counts.values())
      expect(Math.abs(count / trials - 1 / 6)).toBeLessThan(0.02);
  });

  it('keeps text order with shuffle: false', () => {
    const builder = createGlmSampleBuilder({ ...TOKENS, shuffle: false });
    const random = createRng(14);
    for (let trial = 0; trial < 200; trial++) {
      const { order } = builder.build(randomText(random, 100), random);
      expect(order).toEqual(order.map((_, index) => index));
    }
  });

  it('picks the modes with spanProbability 0.5, sentenceProbability 0.3 (±2 points over 10k samples)', () => {
    const builder = createGlmSampleBuilder({
      ...TOKENS,
      spanProbability: 0.5,
      sentenceProbability: 0.3,
      sentenceSplitter: periodSplitter,
    });
    const random = createRng(15);
    const counts = { span: 0, sentence: 0, document: 0 };
    const trials = 10_000;
    for (let trial = 0; trial < trials; trial++) counts[builder.chooseMode(random).mode]++;
    // Largest standard deviation sqrt(0.25 / 10k) = 0.5 points: ±2 is 4 deviations.
    expect(Math.abs(counts.span / trials - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(counts.sentence / trials - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(counts.document / trials - 0.2)).toBeLessThan(0.02);
  });
});
