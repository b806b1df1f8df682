import type { GlmMode, GlmSample, GlmSpan, GlmSpanFit } from '../glm-sample';

/** Everything the layout needs; the spans must already be valid (sorted, disjoint, after `[CLS]`). */
export interface LayoutInput {
  mode: GlmMode;
  /** The uncorrupted sample, `[CLS]` first. */
  text: Int32Array;
  /** Span starts and ends (exclusive) in text order. */
  starts: Int32Array;
  ends: Int32Array;
  /** Part B order: indices into the spans. */
  order: ArrayLike<number>;
  maskId: number;
  sop: number;
  eop: number;
  fit: GlmSpanFit;
}

/**
 * Lays out Part A and Part B (rules 1–5 of the reference): Part A is the text with each span
 * replaced by `maskId`; Part B has, per span in `order`, input `[sop] + span` and target
 * `span + [eop]`. In `'document'` mode the final `[eop]` position is dropped, which gives the
 * reference's `[gMASK]` layout: input `source + [gMASK] + [sop] + target[:-1]`, targets
 * `source + [gMASK] + target`.
 */
export function layoutSample(input: LayoutInput): GlmSample {
  const { mode, text, starts, ends, order, maskId, sop, eop, fit } = input;
  const textLength = text.length;
  const spanCount = starts.length;
  let blankedCount = 0;
  for (let span = 0; span < spanCount; span++) blankedCount += ends[span]! - starts[span]!;
  const sep = textLength - blankedCount + spanCount;
  const fullLength = textLength + 2 * spanCount;
  const tokens = new Int32Array(fullLength);
  const targets = new Int32Array(fullLength);
  const lossMask = new Uint8Array(fullLength);
  const positionIds = new Int32Array(fullLength);
  const blockPositionIds = new Int32Array(fullLength);
  const maskPositions = new Int32Array(spanCount);

  // Part A: copy the text between spans, one mask token per span. Plain loops: the runs are short
  // (about 20 tokens between spans at 15% blanking), where subarray + set costs more than it saves.
  let write = 0;
  let read = 0;
  for (let span = 0; span <= spanCount; span++) {
    const stop = span < spanCount ? starts[span]! : textLength;
    while (read < stop) {
      tokens[write] = text[read]!;
      targets[write] = text[read++]!;
      positionIds[write] = write;
      write++;
    }
    if (span === spanCount) break;
    maskPositions[span] = write;
    tokens[write] = maskId;
    targets[write] = maskId;
    positionIds[write] = write;
    write++;
    read = ends[span]!;
  }

  // Part B: per span in the given order, input [sop] + span, target span + [eop].
  for (let step = 0; step < spanCount; step++) {
    const span = order[step]!;
    const start = starts[span]!;
    const length = ends[span]! - start;
    const position = maskPositions[span]!;
    tokens[write] = sop;
    for (let offset = 0; offset <= length; offset++) {
      const token = offset < length ? text[start + offset]! : eop;
      if (offset < length) tokens[write + offset + 1] = token;
      targets[write + offset] = token;
      positionIds[write + offset] = position;
      blockPositionIds[write + offset] = offset + 1;
      lossMask[write + offset] = 1;
    }
    write += length + 1;
  }

  const spans: GlmSpan[] = new Array(spanCount);
  for (let span = 0; span < spanCount; span++) {
    spans[span] = { start: starts[span]!, end: ends[span]! };
  }
  const length = mode === 'document' ? fullLength - 1 : fullLength;
  const cut = <T extends Int32Array | Uint8Array>(array: T): T =>
    length === fullLength ? array : (array.slice(0, length) as T);
  return {
    mode,
    tokens: cut(tokens),
    targets: cut(targets),
    lossMask: cut(lossMask),
    positionIds: cut(positionIds),
    blockPositionIds: cut(blockPositionIds),
    sep,
    textLength,
    spans,
    order: Array.from(order),
    blankedCount,
    blankRatio: blankedCount / textLength,
    fit,
  };
}
