import type { GlmMode, GlmSample, GlmSpan, GlmSpanFit } from '../glm-sample';

/** A sample's blanks: span starts and ends (exclusive) in text order, and how they were obtained. */
export interface GlmBlanks {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly fit: GlmSpanFit;
}

/** Everything the layout needs; the blanks must already be valid (sorted, disjoint, after `[CLS]`). */
export interface GlmLayoutInput {
  mode: GlmMode;
  /** The uncorrupted sample, `[CLS]` first. */
  text: Int32Array;
  blanks: GlmBlanks;
  /** Part B order: indices into the spans. */
  order: ArrayLike<number>;
  /** The mask token that stands for each span in Part A (`[MASK]`, `[sMASK]` or `[gMASK]`). */
  maskTokenId: number;
  sopTokenId: number;
  eopTokenId: number;
}

/**
 * Lays out Part A and Part B (rules 1–5 of the reference): Part A is the text with each span
 * replaced by `maskTokenId`; Part B has, per span in `order`, input `[sop] + span` and target
 * `span + [eop]`. In `'document'` mode the final `[eop]` position is dropped, which gives the
 * reference's `[gMASK]` layout: input `source + [gMASK] + [sop] + target[:-1]`, targets
 * `source + [gMASK] + target`.
 */
export function layoutGlmSample(input: GlmLayoutInput): GlmSample {
  const { mode, text, blanks, order, maskTokenId, sopTokenId, eopTokenId } = input;
  const { starts, ends, fit } = blanks;
  const textLength = text.length;
  const spanCount = starts.length;
  let blankedCount = 0;
  for (let span = 0; span < spanCount; span++) blankedCount += ends[span]! - starts[span]!;
  const sep = textLength - blankedCount + spanCount;
  const fullLength = textLength + 2 * spanCount;
  const inputIds = new Int32Array(fullLength);
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
      inputIds[write] = text[read]!;
      targets[write] = text[read++]!;
      positionIds[write] = write;
      write++;
    }
    if (span === spanCount) break;
    maskPositions[span] = write;
    inputIds[write] = maskTokenId;
    targets[write] = maskTokenId;
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
    inputIds[write] = sopTokenId;
    for (let offset = 0; offset <= length; offset++) {
      const token = offset < length ? text[start + offset]! : eopTokenId;
      if (offset < length) inputIds[write + offset + 1] = token;
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
    inputIds: cut(inputIds),
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
