import { InvalidArgumentError } from '@lm-objectives/core';
import type { GlmSpan } from '../glm-sample';
import type { GlmBlanks } from './layout-glm-sample';

/**
 * Checks blanks given by a caller and sorts them by start: a non-empty list of spans
 * $\{ \mathrm{start}, \mathrm{end} \}$ in sample coordinates with
 * $1 \le \mathrm{start}_1 < \mathrm{end}_1 \le \mathrm{start}_2 < \dots \le n$: disjoint, non-empty,
 * never covering `[CLS]` (position 0), inside the text.
 */
export function checkExplicitSpans(
  functionName: string,
  spans: unknown,
  textLength: number,
): GlmBlanks {
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
