import type { RandomSource } from '@lm-objectives/core';
import type { GlmMode } from '../glm-sample';

/** A sample's corruption mode, and whether it is a single-span sample. */
export interface GlmModeChoice {
  readonly mode: GlmMode;
  readonly singleSpan: boolean;
}

/** The probabilities {@link chooseGlmMode} draws from. */
export interface GlmModeMixture {
  readonly spanProbability: number;
  readonly sentenceProbability: number;
  readonly singleSpanProbability: number;
}

/**
 * Draws a sample's mode: a single token span with probability $p_\mathrm{single}$; otherwise, from
 * one uniform $u$, token spans if $u < p_\mathrm{span}$, sentences if
 * $u < p_\mathrm{span} + p_\mathrm{sentence}$, the document suffix otherwise. A certain choice
 * ($p_\mathrm{span} = 1$) draws nothing, so such a configuration consumes no randomness for it.
 */
export function chooseGlmMode(mixture: GlmModeMixture, random: RandomSource): GlmModeChoice {
  if (mixture.singleSpanProbability > 0 && random.bernoulli(mixture.singleSpanProbability)) {
    return { mode: 'span', singleSpan: true };
  }
  if (mixture.spanProbability >= 1) return { mode: 'span', singleSpan: false };
  const draw = random.uniform();
  if (draw < mixture.spanProbability) return { mode: 'span', singleSpan: false };
  if (draw < mixture.spanProbability + mixture.sentenceProbability) {
    return { mode: 'sentence', singleSpan: false };
  }
  return { mode: 'document', singleSpan: false };
}

/**
 * The `[gMASK]` generation length for a text of $n$ tokens (`[CLS]` first): uniform on
 * $[\max(1, \lfloor r \cdot n \rfloor), \max(1, n - 2)]$ with $r$ = `documentMinBlankRatio`
 * (the lower end clipped to the upper one).
 */
export function drawGenerationLength(
  textLength: number,
  documentMinBlankRatio: number,
  random: RandomSource,
): number {
  const upper = Math.max(1, textLength - 2);
  const lower = Math.min(upper, Math.max(1, Math.floor(documentMinBlankRatio * textLength)));
  return random.int(lower, upper);
}
