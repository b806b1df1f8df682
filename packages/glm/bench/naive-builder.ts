// The baseline of the builder benchmark: the same token-span algorithm written the obvious way in
// JavaScript — plain arrays grown with push and spread, `slice` copies, the random source's
// checked `categorical` and `int` — the way a first port of the reference's Python reads. It
// produces samples with the same layout; only the speed is compared.
import type { RandomSource } from '@lm-objectives/core';
import { truncatedPoissonWeights } from '../src/index';

const WEIGHTS = Array.from(truncatedPoissonWeights(3, 39));

export interface NaiveSample {
  inputIds: Int32Array;
  targets: Int32Array;
  lossMask: Uint8Array;
  positionIds: Int32Array;
  blockPositionIds: Int32Array;
  sep: number;
}

export function naiveBuild(
  text: readonly number[],
  random: RandomSource,
  ids: { clsTokenId: number; maskTokenId: number; sopTokenId: number; eopTokenId: number },
): NaiveSample {
  const tokens = [ids.clsTokenId, ...text];
  const n = tokens.length;
  const lengths: number[] = [];
  let total = 0;
  while (total < Math.max(1, Math.floor(0.15 * n))) {
    const length = random.categorical(WEIGHTS) + 1;
    lengths.push(length);
    total += length;
  }
  random.shuffle(lengths);
  const free = n - 1 - total - (lengths.length - 1);
  const offsets = lengths.map(() => random.int(0, free)).sort((a, b) => a - b);
  const spans: [number, number][] = [];
  let laid = 1;
  lengths.forEach((length, index) => {
    spans.push([laid + offsets[index]!, laid + offsets[index]! + length]);
    laid += length + 1;
  });
  const partA: number[] = [];
  const maskPositions: number[] = [];
  let cursor = 0;
  for (const [start, end] of spans) {
    partA.push(...tokens.slice(cursor, start));
    maskPositions.push(partA.length);
    partA.push(ids.maskTokenId);
    cursor = end;
  }
  partA.push(...tokens.slice(cursor));
  const order = random.shuffle(spans.map((_, index) => index));
  const inputs = [...partA];
  const targets = [...partA];
  const positions = partA.map((_, index) => index);
  const blocks: number[] = partA.map(() => 0);
  const lossMask: number[] = partA.map(() => 0);
  for (const index of order) {
    const [start, end] = spans[index]!;
    const piece = tokens.slice(start, end);
    inputs.push(ids.sopTokenId, ...piece);
    targets.push(...piece, ids.eopTokenId);
    for (let offset = 0; offset <= piece.length; offset++) {
      positions.push(maskPositions[index]!);
      blocks.push(offset + 1);
      lossMask.push(1);
    }
  }
  return {
    inputIds: Int32Array.from(inputs),
    targets: Int32Array.from(targets),
    lossMask: Uint8Array.from(lossMask),
    positionIds: Int32Array.from(positions),
    blockPositionIds: Int32Array.from(blocks),
    sep: partA.length,
  };
}

/** The obvious boolean mask: one comparison per query–key pair. */
export function naiveAttentionMask(separators: readonly number[], length: number): Uint8Array {
  const mask = new Uint8Array(separators.length * length * length);
  separators.forEach((sep, row) => {
    for (let query = 0; query < length; query++) {
      for (let key = 0; key < length; key++) {
        mask[(row * length + query) * length + key] = key < sep || key <= query ? 1 : 0;
      }
    }
  });
  return mask;
}
