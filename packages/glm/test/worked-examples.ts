// The worked examples of the GLM reference (shared/reference/glm.md), shared by the test suites.
import type { GlmSpan } from '../src/index';

/** `1 = [CLS]`, `2 = [MASK]`, `3 = [sop]`, `4 = [eop]`, `5 = [gMASK]`. */
export const WORKED_TOKEN_IDS = Object.freeze({
  clsTokenId: 1,
  maskTokenId: 2,
  sopTokenId: 3,
  eopTokenId: 4,
  gMaskTokenId: 5,
});

/** The text `x1 … x6` = ids `11 … 16` (without `[CLS]`). */
export const WORKED_TEXT: readonly number[] = Object.freeze([11, 12, 13, 14, 15, 16]);

/** The spans `{x3}` and `{x5, x6}` in sample coordinates (`[CLS]` = 0). */
export const WORKED_SPANS: readonly GlmSpan[] = Object.freeze([
  { start: 3, end: 4 },
  { start: 5, end: 7 },
]);

/** Part B fills `{x5, x6}` first, then `{x3}`. */
export const WORKED_ORDER: readonly number[] = Object.freeze([1, 0]);

/** The `[gMASK]` example: text `11 … 17`, the last 5 tokens generated (source `[CLS] 11 12`). */
export const DOCUMENT_TEXT: readonly number[] = Object.freeze([11, 12, 13, 14, 15, 16, 17]);

/** The `[gMASK]` example's generation length. */
export const DOCUMENT_GENERATION_LENGTH = 5;
