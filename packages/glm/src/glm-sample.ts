/**
 * How a sample was corrupted (the reference's names in brackets):
 * - `'span'` (`bert`): short token spans, each replaced by `[MASK]`;
 * - `'sentence'` (`gap_sentence`): whole sentences, each replaced by `[sMASK]`;
 * - `'document'` (`gpt`): one suffix of 50–100% of the text, replaced by `[gMASK]`.
 *
 * The loss reports one part per mode, under these names.
 */
export type GlmMode = 'span' | 'sentence' | 'document';

/**
 * The modes in the order of their integer codes in a batch's `modes` and `scoredParts` fields
 * (0, 1, 2), which is also the order of the loss parts.
 */
export const GLM_MODES: readonly GlmMode[] = Object.freeze(['span', 'sentence', 'document']);

/** A blanked run of tokens, `start` inclusive to `end` exclusive, in sample coordinates (`[CLS]` = 0). */
export interface GlmSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * How the blanks of a sample came to be, so that nothing is adjusted silently:
 * - `'drawn'`: sampled by the rules, used as drawn;
 * - `'redrawn'`: the first span lengths did not fit the text (only short texts), and a fresh draw did;
 * - `'shortened'`: no draw fitted, so the longest spans were shortened one token at a time until
 *   they fitted (the blanked total still reaches the target; see the README);
 * - `'given'`: the spans were passed in by the caller.
 */
export type GlmSpanFit = 'drawn' | 'redrawn' | 'shortened' | 'given';

/**
 * One sample of autoregressive blank infilling: Part A (the text with each blank replaced by one
 * mask token) followed by Part B (each blank as `[sop] + span`, in a random order), with aligned
 * targets and GLM's two position rows. Index `t` of every array is one position of the model input.
 *
 * With `sep = len(Part A)`:
 * - `targets[t]` is what position `t` predicts (no shift is needed): Part A copies its tokens,
 *   Part B holds `span + [eop]` (`span` alone for the `[gMASK]` suffix);
 * - `lossMask[t]` is 1 on Part B, 0 on Part A;
 * - `positionIds[t]` is $t$ in Part A (0-based, `[CLS]` at 0) and, in Part B, the Part A position
 *   of the span's mask token;
 * - `blockPositionIds[t]` is 0 in Part A and $1, 2, \dots, \ell + 1$ along each Part B segment;
 * - query $i$ may attend to key $j$ iff $j < \mathrm{sep} \lor j \le i$.
 */
export interface GlmSample {
  readonly mode: GlmMode;
  /** Model input ids: Part A then Part B. */
  readonly inputIds: Int32Array;
  /** Aligned targets of the same length. */
  readonly targets: Int32Array;
  /** 1 where the loss counts (Part B), 0 elsewhere. */
  readonly lossMask: Uint8Array;
  /** First position row (0-based; Part B repeats its mask token's position). */
  readonly positionIds: Int32Array;
  /** Second position row (0 in Part A, 1… within each Part B segment). */
  readonly blockPositionIds: Int32Array;
  /** The length of Part A: the first Part B position. */
  readonly sep: number;
  /** `n`: the length of the text including `[CLS]`, before blanking. */
  readonly textLength: number;
  /** The blanks in text order, in sample coordinates of the uncorrupted text (`[CLS]` = 0). */
  readonly spans: readonly GlmSpan[];
  /** Part B order: `order[s]` is the index (into `spans`) of the `s`-th segment of Part B. */
  readonly order: readonly number[];
  /** Tokens blanked: $\sum_i \ell_i$. */
  readonly blankedCount: number;
  /** `blankedCount / textLength`. */
  readonly blankRatio: number;
  /** How the blanks were obtained (see {@link GlmSpanFit}). */
  readonly fit: GlmSpanFit;
}

/**
 * One example for `createGlmBatch` and the objective's `createBatch`: the token ids of a text
 * (without `[CLS]`, unless the builder has `prependCls: false`), which the batch builds into a
 * sample by the builder's rules; or a {@link GlmSample} already built (by `buildWithSpans`,
 * `buildDocument`, …), which the batch takes as it is.
 */
export type GlmExample = ArrayLike<number> | GlmSample;

/** Whether an example is a built {@link GlmSample} rather than a text. */
export function isGlmSample(example: unknown): example is GlmSample {
  return (
    example != null &&
    typeof example === 'object' &&
    !Array.isArray(example) &&
    !ArrayBuffer.isView(example) &&
    'inputIds' in example
  );
}
