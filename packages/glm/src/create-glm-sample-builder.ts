import { InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import {
  GLM_MODES,
  type GlmMode,
  type GlmSample,
  type GlmSpan,
  type GlmSpanFit,
} from './glm-sample';
import {
  type GlmSpecialTokens,
  type ResolvedGlmSpecialTokens,
  resolveGlmSpecialTokens,
} from './glm-special-tokens';
import { layoutSample } from './internal/layout-sample';
import {
  checkBooleanOption,
  checkGlmOptionsObject,
  checkNumberOption,
  checkOptionKeys,
  copyTokenIds,
} from './internal/validate';
import type { SentenceSplitter } from './sentence-splitter';
import { createSpanLengthSampler, truncatedPoissonWeights } from './span-length-distribution';

/** Options of {@link createGlmSampleBuilder}. Only `tokens` is required. */
export interface GlmSampleBuilderOptions {
  /** The special-token ids. */
  readonly tokens: GlmSpecialTokens;
  /** Probability of token-span infilling (`[MASK]`) per sample. Default 1 (GLM-Base/Large); GLM-10B used 0.5. */
  readonly bertProb?: number;
  /** Probability of sentence infilling (`[sMASK]`); the rest, $1 - \text{bertProb} - \text{gapSentenceProb}$, is `[gMASK]`. Default 0; GLM-10B used 0.3. */
  readonly gapSentenceProb?: number;
  /** Probability that a sample gets exactly one token span (decided before the mode; the reference's `single_span_prob`). Default 0. */
  readonly singleSpanProb?: number;
  /** Token-span mode blanks until at least $\lfloor r \cdot n \rfloor$ tokens ($n$ with `[CLS]`); $r \in (0, 0.5]$. Default 0.15. */
  readonly spanBlankRatio?: number;
  /** Sentence mode blanks sentences until at least $\lfloor r \cdot n \rfloor$ tokens; $r \in (0, 1]$. Default 0.15. */
  readonly sentenceBlankRatio?: number;
  /** `[gMASK]` generation length is uniform in $[\lfloor r \cdot n \rfloor, n - 2]$. Default 0.5 (50–100% of the text); GLM-10B used 0.25. */
  readonly gptMinRatio?: number;
  /** $\lambda$ of the span-length Poisson distribution. Default 3. */
  readonly averageSpanLength?: number;
  /** Longest span; lengths are drawn from Poisson($\lambda$) restricted to $1 \dots$ this. Default 39. */
  readonly maxSpanLength?: number;
  /** Put Part B's spans in a random order (GLM's permutation). `false` keeps text order. Default `true`. */
  readonly shuffle?: boolean;
  /** Splits texts into sentences; required when `gapSentenceProb > 0`. See {@link createSentenceSplitter}. */
  readonly sentenceSplitter?: SentenceSplitter;
  /** Put `[CLS]` in front of each text. With `false` each text must already start with it. Default `true`. */
  readonly prependCls?: boolean;
  /** How many times to redraw span lengths that do not fit a (short) text before shortening them. Default 3. */
  readonly fitRedraws?: number;
}

/** {@link GlmSampleBuilderOptions} with every default filled in. */
export interface ResolvedGlmSampleBuilderOptions {
  readonly tokens: ResolvedGlmSpecialTokens;
  readonly bertProb: number;
  readonly gapSentenceProb: number;
  readonly singleSpanProb: number;
  readonly spanBlankRatio: number;
  readonly sentenceBlankRatio: number;
  readonly gptMinRatio: number;
  readonly averageSpanLength: number;
  readonly maxSpanLength: number;
  readonly shuffle: boolean;
  readonly sentenceSplitter: SentenceSplitter | undefined;
  readonly prependCls: boolean;
  readonly fitRedraws: number;
}

/** A sample's corruption mode, and whether it is a single-span sample. */
export interface GlmModeChoice {
  readonly mode: GlmMode;
  readonly singleSpan: boolean;
}

/** Blanks chosen by the caller (how the reference's worked examples are reproduced). */
export interface GlmExplicitBlanks {
  /** The blanks in sample coordinates (`[CLS]` = 0, so text token `t` is at `t + 1` with `prependCls`). Any order; disjoint; never `[CLS]`. */
  readonly spans: readonly GlmSpan[];
  /** Part B order as indices into the spans sorted by start. Default: random when `random` is given and `shuffle` is on, else text order. */
  readonly order?: readonly number[];
  /** `'span'` (default, `[MASK]`) or `'sentence'` (`[sMASK]`). */
  readonly mode?: 'span' | 'sentence';
  /** Used only to draw the order when none is given. */
  readonly random?: RandomSource;
}

/** Builds GLM samples from tokenized texts. Pure: all randomness comes from the `random` argument. */
export interface GlmSampleBuilder {
  readonly options: ResolvedGlmSampleBuilderOptions;
  /**
   * Draws a sample's mode: single span with probability `singleSpanProb`; otherwise token spans with
   * `bertProb`, sentences with `gapSentenceProb`, the document suffix with the rest.
   */
  chooseMode(random: RandomSource): GlmModeChoice;
  /** Draws the mode (unless `choice` is given) and the blanks, then lays the sample out. */
  build(text: ArrayLike<number>, random: RandomSource, choice?: GlmModeChoice): GlmSample;
  /** Lays out a sample with the given blanks and Part B order (no randomness unless the order is drawn). */
  buildWithSpans(text: ArrayLike<number>, blanks: GlmExplicitBlanks): GlmSample;
  /** Lays out the `[gMASK]` sample whose last `generationLength` tokens are generated. */
  buildDocument(text: ArrayLike<number>, options: { readonly generationLength: number }): GlmSample;
}

const OPTION_KEYS = [
  'tokens',
  'bertProb',
  'gapSentenceProb',
  'singleSpanProb',
  'spanBlankRatio',
  'sentenceBlankRatio',
  'gptMinRatio',
  'averageSpanLength',
  'maxSpanLength',
  'shuffle',
  'sentenceSplitter',
  'prependCls',
  'fitRedraws',
] as const;

/** The builder option names, for factories that accept them among their own. */
export const GLM_SAMPLE_BUILDER_OPTION_KEYS: readonly string[] = OPTION_KEYS;

/** Checks builder options and fills in the defaults. */
export function resolveGlmSampleBuilderOptions(
  functionName: string,
  options: unknown,
  extraKeys: readonly string[] = [],
): ResolvedGlmSampleBuilderOptions {
  checkGlmOptionsObject(functionName, options);
  checkOptionKeys(functionName, options, [...OPTION_KEYS, ...extraKeys]);
  const given = options as GlmSampleBuilderOptions;
  const probability = (name: string, value: unknown, fallback: number) =>
    checkNumberOption(
      functionName,
      `options.${name}`,
      value,
      fallback,
      { min: 0, max: 1 },
      'pass a probability between 0 and 1.',
    );
  const tokens = resolveGlmSpecialTokens(functionName, given.tokens);
  const bertProb = probability('bertProb', given.bertProb, 1);
  const gapSentenceProb = probability('gapSentenceProb', given.gapSentenceProb, 0);
  if (bertProb + gapSentenceProb > 1 + 1e-9) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.gapSentenceProb',
      expected: `at most 1 − bertProb = ${1 - bertProb} (the rest is the [gMASK] share)`,
      received: gapSentenceProb,
      fix: 'make bertProb + gapSentenceProb ≤ 1, e.g. GLM-10B used 0.5 and 0.3.',
    });
  }
  const sentenceSplitter = given.sentenceSplitter;
  if (sentenceSplitter !== undefined && typeof sentenceSplitter !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.sentenceSplitter',
      expected: 'a function (text: Int32Array) => sentence end offsets',
      received: sentenceSplitter,
      fix: 'pass createSentenceSplitter({ vocabulary }) or your own splitter function.',
    });
  }
  if (gapSentenceProb > 0 && sentenceSplitter === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.sentenceSplitter',
      expected: 'a sentence splitter, because gapSentenceProb > 0',
      received: sentenceSplitter,
      fix: 'pass sentenceSplitter: createSentenceSplitter({ vocabulary }) (it needs the token texts), or set gapSentenceProb to 0.',
    });
  }
  return {
    tokens,
    bertProb,
    gapSentenceProb,
    singleSpanProb: probability('singleSpanProb', given.singleSpanProb, 0),
    spanBlankRatio: checkNumberOption(
      functionName,
      'options.spanBlankRatio',
      given.spanBlankRatio,
      0.15,
      { min: 0, minExclusive: true, max: 0.5 },
      'pass a ratio in (0, 0.5]; above one half, non-adjacent spans cannot always reach it.',
    ),
    sentenceBlankRatio: checkNumberOption(
      functionName,
      'options.sentenceBlankRatio',
      given.sentenceBlankRatio,
      0.15,
      { min: 0, minExclusive: true, max: 1 },
      'pass a ratio in (0, 1], e.g. 0.15.',
    ),
    gptMinRatio: checkNumberOption(
      functionName,
      'options.gptMinRatio',
      given.gptMinRatio,
      0.5,
      { min: 0, max: 1 },
      'pass a ratio in [0, 1], e.g. 0.5 (GLM-10B used 0.25).',
    ),
    averageSpanLength: checkNumberOption(
      functionName,
      'options.averageSpanLength',
      given.averageSpanLength,
      3,
      { min: 0, minExclusive: true, max: 100 },
      'pass a positive Poisson mean such as 3.',
    ),
    maxSpanLength: checkNumberOption(
      functionName,
      'options.maxSpanLength',
      given.maxSpanLength,
      39,
      { min: 1, max: 10_000, integer: true },
      'pass a positive integer such as 39.',
    ),
    shuffle: checkBooleanOption(functionName, 'options.shuffle', given.shuffle, true),
    sentenceSplitter,
    prependCls: checkBooleanOption(functionName, 'options.prependCls', given.prependCls, true),
    fitRedraws: checkNumberOption(
      functionName,
      'options.fitRedraws',
      given.fitRedraws,
      3,
      { min: 0, max: 1000, integer: true },
      'pass a small non-negative integer such as 3.',
    ),
  };
}

/** Sorted, validated span bounds. */
interface Blanks {
  starts: Int32Array;
  ends: Int32Array;
  fit: GlmSpanFit;
}

function identityOrder(count: number): number[] {
  const order = new Array<number>(count);
  for (let index = 0; index < count; index++) order[index] = index;
  return order;
}

/**
 * Creates a builder of GLM blank-infilling samples (the reference's `ConstructBlockStrategy`,
 * one sample at a time).
 *
 * **Token spans.** Lengths $\ell \sim$ Poisson($\lambda$) on $1 \dots 39$ are drawn until
 * $S = \sum \ell_i \ge \max(1, \lfloor r \cdot n \rfloor)$ (so the last span may overshoot by up to
 * one span), or exactly one with probability `singleSpanProb`. The $k$ spans are placed in the
 * $n - 1$ tokens after `[CLS]` without ever touching: $k$ sorted offsets are drawn uniformly from
 * $0 \dots (n - 1) - S - k + 1$ and the spans laid out left to right, each followed by one forced gap.
 * If they cannot fit ($S + k - 1 > n - 1$, only in short texts) the lengths are redrawn up to
 * `fitRedraws` times and then the longest are shortened; the sample is never dropped, and
 * `sample.fit` says which happened.
 *
 * **Sentences.** The splitter's sentences (after `[CLS]`) are shuffled and taken until the blanked
 * total reaches $\max(1, \lfloor r \cdot n \rfloor)$; whole sentences only.
 *
 * **Document suffix.** A generation length $g$ uniform in $[\max(1, \lfloor r \cdot n\rfloor), \max(1, n - 2)]$;
 * the last $g$ tokens become one `[gMASK]` blank, with no `[eop]`.
 *
 * @example
 * const builder = createGlmSampleBuilder({ tokens: { cls: 1, mask: 2, sop: 3, eop: 4, gMask: 5 } });
 * const sample = builder.build(textIds, createRng(42));
 */
export function createGlmSampleBuilder(options: GlmSampleBuilderOptions): GlmSampleBuilder {
  const resolved = resolveGlmSampleBuilderOptions('createGlmSampleBuilder', options);
  const { tokens } = resolved;
  const lengthSampler = createSpanLengthSampler(
    truncatedPoissonWeights(resolved.averageSpanLength, resolved.maxSpanLength),
  );
  const alwaysSpans = resolved.bertProb >= 1;

  /** The sample's uncorrupted ids with `[CLS]` first, checked. */
  const prepare = (functionName: string, text: ArrayLike<number>): Int32Array => {
    const ids = copyTokenIds(functionName, 'text', text, resolved.prependCls ? 1 : 0);
    if (resolved.prependCls) ids[0] = tokens.cls;
    else if (ids.length > 0 && ids[0] !== tokens.cls) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'text[0]',
        expected: `the [CLS] id ${tokens.cls} (prependCls is false, so each text must start with it)`,
        received: ids[0],
        fix: 'start every text with [CLS], or leave prependCls at its default true.',
      });
    }
    if (ids.length < 2) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'text',
        expected: 'at least one token after [CLS]',
        received: text,
        fix: 'filter out empty texts before building samples.',
      });
    }
    return ids;
  };

  const drawOrder = (count: number, random: RandomSource | undefined): number[] => {
    const order = identityOrder(count);
    return resolved.shuffle && random !== undefined ? random.shuffle(order) : order;
  };

  const drawLengths = (random: RandomSource, target: number, single: boolean): number[] => {
    const lengths: number[] = [];
    let total = 0;
    do {
      const length = lengthSampler.draw(random);
      lengths.push(length);
      total += length;
    } while (!single && total < target);
    return lengths;
  };

  const sampleTokenSpans = (text: Int32Array, random: RandomSource, single: boolean): Blanks => {
    const textLength = text.length;
    const region = textLength - 1; // every token after [CLS]
    const target = Math.max(1, Math.floor(resolved.spanBlankRatio * textLength));
    let fit: GlmSpanFit = 'drawn';
    let lengths = drawLengths(random, target, single);
    let total = lengths.reduce((sum, length) => sum + length, 0);
    for (let redraw = 0; total + lengths.length - 1 > region && redraw < resolved.fitRedraws; ) {
      redraw++;
      fit = 'redrawn';
      lengths = drawLengths(random, target, single);
      total = lengths.reduce((sum, length) => sum + length, 0);
    }
    if (total + lengths.length - 1 > region) {
      // Shorten the longest span until the spans and their gaps fit. This ends with every span at
      // least 1 long and the total still ≥ target: there are k ≤ target ≤ n/2 spans (each ≥ 1,
      // drawn until the target), so the fitted total n − k ≥ n/2 ≥ target, and k + (k − 1) ≤ n − 1.
      fit = 'shortened';
      while (total + lengths.length - 1 > region) {
        let longest = 0;
        for (let index = 1; index < lengths.length; index++) {
          if (lengths[index]! > lengths[longest]!) longest = index;
        }
        lengths[longest]!--;
        total--;
      }
    }
    // Drawn order is not exchangeable (the last draw is the one that crossed the target), so
    // shuffle before laying out left to right, as the reference does.
    if (lengths.length > 1) random.shuffle(lengths);
    const count = lengths.length;
    const free = region - total - (count - 1);
    const offsets = new Int32Array(count);
    for (let index = 0; index < count; index++) offsets[index] = random.int(0, free);
    offsets.sort();
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    let laid = 1; // after [CLS]
    for (let index = 0; index < count; index++) {
      starts[index] = laid + offsets[index]!;
      ends[index] = starts[index]! + lengths[index]!;
      laid += lengths[index]! + 1;
    }
    return { starts, ends, fit };
  };

  const sampleSentences = (
    functionName: string,
    text: Int32Array,
    random: RandomSource,
  ): Blanks => {
    const splitter = resolved.sentenceSplitter;
    if (splitter === undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'choice.mode',
        expected: "'span' or 'document' (this builder has no sentence splitter)",
        received: 'sentence',
        fix: 'create the builder with a sentenceSplitter to use sentence infilling.',
      });
    }
    const body = text.subarray(1);
    const boundaries = splitter(body);
    const sentenceStarts: number[] = [];
    const sentenceEnds: number[] = [];
    let previous = 0;
    for (let index = 0; index < boundaries.length; index++) {
      const end = boundaries[index]!;
      if (!(Number.isInteger(end) && end > previous && end <= body.length)) {
        throw new InvalidArgumentError({
          functionName: 'sentenceSplitter',
          argumentName: `result[${index}]`,
          expected: `increasing sentence end offsets in (${previous}, ${body.length}]`,
          received: end,
          fix: 'return the exclusive end offset of each sentence within the text, in increasing order.',
        });
      }
      sentenceStarts.push(previous + 1);
      sentenceEnds.push(end + 1);
      previous = end;
    }
    if (previous < body.length) {
      sentenceStarts.push(previous + 1);
      sentenceEnds.push(body.length + 1);
    }
    const target = Math.max(1, Math.floor(resolved.sentenceBlankRatio * text.length));
    const shuffled = random.shuffle(identityOrder(sentenceStarts.length));
    const chosen: number[] = [];
    let blanked = 0;
    for (const sentence of shuffled) {
      chosen.push(sentence);
      blanked += sentenceEnds[sentence]! - sentenceStarts[sentence]!;
      if (blanked >= target) break;
    }
    chosen.sort((a, b) => a - b);
    return {
      starts: Int32Array.from(chosen, (sentence) => sentenceStarts[sentence]!),
      ends: Int32Array.from(chosen, (sentence) => sentenceEnds[sentence]!),
      fit: 'drawn',
    };
  };

  const layout = (
    mode: GlmMode,
    text: Int32Array,
    blanks: Blanks,
    order: readonly number[],
  ): GlmSample =>
    layoutSample({
      mode,
      text,
      starts: blanks.starts,
      ends: blanks.ends,
      order,
      maskId: mode === 'span' ? tokens.mask : mode === 'sentence' ? tokens.sMask : tokens.gMask,
      sop: tokens.sop,
      eop: tokens.eop,
      fit: blanks.fit,
    });

  const documentSample = (text: Int32Array, generationLength: number): GlmSample =>
    layout(
      'document',
      text,
      {
        starts: Int32Array.of(text.length - generationLength),
        ends: Int32Array.of(text.length),
        fit: 'drawn',
      },
      [0],
    );

  const builder: GlmSampleBuilder = {
    options: resolved,
    chooseMode(random) {
      if (resolved.singleSpanProb > 0 && random.bernoulli(resolved.singleSpanProb)) {
        return { mode: 'span', singleSpan: true };
      }
      // A certain mode draws nothing, so such a configuration consumes no randomness for it.
      if (alwaysSpans) return { mode: 'span', singleSpan: false };
      const draw = random.uniform();
      if (draw < resolved.bertProb) return { mode: 'span', singleSpan: false };
      if (draw < resolved.bertProb + resolved.gapSentenceProb) {
        return { mode: 'sentence', singleSpan: false };
      }
      return { mode: 'document', singleSpan: false };
    },
    build(text, random, choice) {
      const functionName = 'GlmSampleBuilder.build';
      const ids = prepare(functionName, text);
      if (choice !== undefined && !GLM_MODES.includes(choice?.mode)) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'choice.mode',
          expected: `one of ${GLM_MODES.map((mode) => `'${mode}'`).join(', ')}`,
          received: choice?.mode,
          fix: 'pass the result of builder.chooseMode(random), or leave choice out.',
        });
      }
      const { mode, singleSpan } = choice ?? builder.chooseMode(random);
      if (mode === 'document') {
        const upper = Math.max(1, ids.length - 2);
        const lower = Math.min(upper, Math.max(1, Math.floor(resolved.gptMinRatio * ids.length)));
        return documentSample(ids, random.int(lower, upper));
      }
      const blanks =
        mode === 'span'
          ? sampleTokenSpans(ids, random, singleSpan)
          : sampleSentences(functionName, ids, random);
      return layout(mode, ids, blanks, drawOrder(blanks.starts.length, random));
    },
    buildWithSpans(text, blanks) {
      const functionName = 'GlmSampleBuilder.buildWithSpans';
      const ids = prepare(functionName, text);
      checkOptionKeys(functionName, blanks, ['spans', 'order', 'mode', 'random'], 'blanks');
      const mode = blanks?.mode ?? 'span';
      if (mode !== 'span' && mode !== 'sentence') {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'blanks.mode',
          expected: "'span' or 'sentence' (use buildDocument for a [gMASK] suffix)",
          received: mode,
          fix: "pass mode 'span' or 'sentence'.",
        });
      }
      const spans = checkSpans(functionName, blanks?.spans, ids.length);
      const order =
        blanks.order === undefined
          ? drawOrder(spans.starts.length, blanks.random)
          : checkOrder(functionName, blanks.order, spans.starts.length);
      return layout(mode, ids, spans, order);
    },
    buildDocument(text, options) {
      const functionName = 'GlmSampleBuilder.buildDocument';
      const ids = prepare(functionName, text);
      checkOptionKeys(functionName, options, ['generationLength']);
      const maximum = ids.length - 1;
      const generationLength = options?.generationLength;
      if (
        !(
          Number.isInteger(generationLength) &&
          generationLength >= 1 &&
          generationLength <= maximum
        )
      ) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'options.generationLength',
          expected: `an integer in [1, ${maximum}] (how many final tokens of the text after [CLS] to generate)`,
          received: generationLength,
          fix: 'pass { generationLength } no longer than the text.',
        });
      }
      return documentSample(ids, generationLength);
    },
  };
  return Object.freeze(builder);
}

function checkSpans(functionName: string, spans: unknown, textLength: number): Blanks {
  if (!Array.isArray(spans) || spans.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'blanks.spans',
      expected: 'a non-empty array of { start, end } in sample coordinates ([CLS] = 0)',
      received: spans,
      fix: 'pass the blanks, e.g. [{ start: 3, end: 4 }, { start: 5, end: 7 }].',
    });
  }
  const sorted = [...(spans as GlmSpan[])].sort((a, b) => (a?.start ?? 0) - (b?.start ?? 0));
  let previousEnd = 1;
  for (const [index, span] of sorted.entries()) {
    const valid =
      span != null &&
      Number.isInteger(span.start) &&
      Number.isInteger(span.end) &&
      span.start >= previousEnd &&
      span.end > span.start &&
      span.end <= textLength;
    if (!valid) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `blanks.spans (sorted by start, entry ${index})`,
        expected: `a span { start, end } with ${previousEnd} ≤ start < end ≤ ${textLength}: after [CLS] and the previous span, inside the text`,
        received: span,
        receivedDescription:
          span == null ? String(span) : `{ start: ${span.start}, end: ${span.end} }`,
        fix: 'give disjoint, non-empty spans that never cover [CLS] (position 0) and end by the text length.',
      });
    }
    previousEnd = span.end;
  }
  return {
    starts: Int32Array.from(sorted, (span) => span.start),
    ends: Int32Array.from(sorted, (span) => span.end),
    fit: 'given',
  };
}

function checkOrder(functionName: string, order: unknown, count: number): number[] {
  const seen = new Uint8Array(count);
  const valid =
    Array.isArray(order) &&
    order.length === count &&
    order.every((index) => {
      if (!Number.isInteger(index) || index < 0 || index >= count || seen[index]) return false;
      seen[index] = 1;
      return true;
    });
  if (!valid) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'blanks.order',
      expected: `a permutation of 0…${count - 1} (indices into the spans sorted by start)`,
      received: order,
      fix: 'list every span index exactly once, in the order Part B should fill them.',
    });
  }
  return [...(order as number[])];
}
