import type { RandomSource } from '@lm-objectives/core';
import type { GlmSpanFit } from '../glm-sample';
import type { GlmBlanks } from './layout-glm-sample';
import type { SpanLengthSampler } from './span-length-distribution';

/** What {@link sampleTokenSpans} needs besides the text and the random source. */
export interface TokenSpanRules {
  /** Draws one span length (the truncated Poisson distribution). */
  readonly lengths: SpanLengthSampler;
  /** $r$: blank at least $\max(1, \lfloor r \cdot n \rfloor)$ tokens. */
  readonly spanBlankRatio: number;
  /** How many fresh draws to try before shortening lengths that do not fit. */
  readonly fitRedraws: number;
}

/**
 * Draws span lengths until their total reaches `target` (so the last span may overshoot by up to
 * one span), or exactly one length when `single`:
 * $\ell_1, \ell_2, \dots$ until $\sum_i \ell_i \ge \mathrm{target}$.
 */
export function drawSpanLengths(
  sampler: SpanLengthSampler,
  random: RandomSource,
  target: number,
  single: boolean,
): number[] {
  const lengths: number[] = [];
  let total = 0;
  do {
    const length = sampler.draw(random);
    lengths.push(length);
    total += length;
  } while (!single && total < target);
  return lengths;
}

/** $\sum_i \ell_i$. */
function totalLength(lengths: readonly number[]): number {
  return lengths.reduce((sum, length) => sum + length, 0);
}

/**
 * Whether $k$ spans of total length $S$ fit in `region` tokens with a gap between each two:
 * $S + k - 1 \le \mathrm{region}$.
 */
function fits(lengths: readonly number[], region: number): boolean {
  return totalLength(lengths) + lengths.length - 1 <= region;
}

/**
 * Shortens the longest span by one token at a time until $S + k - 1 \le \mathrm{region}$, in place.
 * This ends with every span at least 1 long and the total still $\ge$ the target: there are
 * $k \le \mathrm{target} \le n/2$ spans (each $\ge 1$, drawn until the target), so the fitted
 * total $n - k \ge n/2 \ge \mathrm{target}$, and $k + (k - 1) \le n - 1$.
 */
export function shortenSpanLengths(lengths: number[], region: number): void {
  let total = totalLength(lengths);
  while (total + lengths.length - 1 > region) {
    let longest = 0;
    for (let index = 1; index < lengths.length; index++) {
      if (lengths[index]! > lengths[longest]!) longest = index;
    }
    lengths[longest]!--;
    total--;
  }
}

/**
 * Places spans of the given lengths (in that order, left to right) in the tokens
 * $1 \dots \mathrm{region}$ after `[CLS]` so that no two touch: $k$ sorted offsets are drawn
 * uniformly from $0 \dots \mathrm{region} - S - k + 1$, and span $i$ starts at
 * $1 + o_i + \sum_{j < i} (\ell_j + 1)$ (each span followed by one forced gap). Every placement of
 * $k$ non-adjacent spans in this order is equally likely.
 */
export function placeSpans(
  lengths: readonly number[],
  region: number,
  random: RandomSource,
): { starts: Int32Array; ends: Int32Array } {
  const count = lengths.length;
  const free = region - totalLength(lengths) - (count - 1);
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
  return { starts, ends };
}

/**
 * GLM's token-span blanks for a text of $n$ tokens (`[CLS]` first): lengths
 * $\ell \sim$ Poisson($\lambda$) on $1 \dots \mathrm{max}$ are drawn until
 * $S = \sum \ell_i \ge \max(1, \lfloor r \cdot n \rfloor)$ (or exactly one when `single`) and
 * placed without touching in the $n - 1$ tokens after `[CLS]` ({@link placeSpans}). If they cannot
 * fit ($S + k - 1 > n - 1$, only in short texts) the lengths are redrawn up to `fitRedraws` times
 * and then the longest shortened ({@link shortenSpanLengths}); `fit` says which happened. The drawn
 * order is not exchangeable (the last draw is the one that crossed the target), so the lengths are
 * shuffled before placement, as the reference does.
 */
export function sampleTokenSpans(
  text: Int32Array,
  rules: TokenSpanRules,
  random: RandomSource,
  single: boolean,
): GlmBlanks {
  const region = text.length - 1; // every token after [CLS]
  const target = Math.max(1, Math.floor(rules.spanBlankRatio * text.length));
  let fit: GlmSpanFit = 'drawn';
  let lengths = drawSpanLengths(rules.lengths, random, target, single);
  for (let redraw = 0; !fits(lengths, region) && redraw < rules.fitRedraws; redraw++) {
    fit = 'redrawn';
    lengths = drawSpanLengths(rules.lengths, random, target, single);
  }
  if (!fits(lengths, region)) {
    fit = 'shortened';
    shortenSpanLengths(lengths, region);
  }
  if (lengths.length > 1) random.shuffle(lengths);
  return { ...placeSpans(lengths, region, random), fit };
}
