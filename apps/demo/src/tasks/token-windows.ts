import type { RandomSource } from '@lm-objectives/core';

/**
 * Splits a token stream into a training region and a held-out tail, and draws fixed-length windows
 * from either: the data of the language-model tasks (GLM texts, causal pre-training).
 */
export interface TokenWindows {
  /** A window of `length` tokens starting at a random offset of the training region. */
  training(random: RandomSource): Int32Array;
  /** `count` consecutive, non-overlapping windows of the held-out tail (the same every call). */
  heldOut(count: number): Int32Array[];
}

/**
 * Windows of `length` tokens over `stream`, keeping the last `heldOutFraction` of it (the end of
 * the last address) out of training.
 */
export function createTokenWindows(
  stream: Int32Array,
  length: number,
  heldOutFraction = 0.03,
): TokenWindows {
  const boundary = Math.floor(stream.length * (1 - heldOutFraction));
  return {
    training: (random) => {
      const start = random.int(0, boundary - length);
      return stream.subarray(start, start + length);
    },
    heldOut: (count) =>
      Array.from({ length: count }, (_, index) =>
        stream.subarray(boundary + index * length, boundary + (index + 1) * length),
      ).filter((window) => window.length === length),
  };
}
