import type { RandomSource } from '@lm-objectives/core';

const TWO_POW_32 = 0x1_0000_0000;
const INVERSE_TWO_POW_32 = 1 / TWO_POW_32;
/** Ranges up to this size use the multiply-and-shift path, whose product stays exact in float64. */
const MULTIPLY_SHIFT_LIMIT = 2 ** 21;

/**
 * A uniform integer in `[0, range)` for `1 ≤ range ≤ 2^32`, unbiased. Up to $2^{21}$ it uses
 * Lemire's multiply-and-shift with rejection: one 32-bit draw $u$ gives
 * $\lfloor u \cdot \mathrm{range} / 2^{32} \rfloor$, rejected only when the low part of the product
 * falls below $2^{32} \bmod \mathrm{range}$ (probability < range / 2^32); every step is exact in
 * float64 and avoids the slow floating-point remainder of the masker's inner loops. Larger ranges
 * reject draws above the largest multiple of the range.
 */
export function drawBelow(random: RandomSource, range: number): number {
  if (range > MULTIPLY_SHIFT_LIMIT) {
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let draw = random.nextUint32();
    while (draw >= limit) draw = random.nextUint32();
    return draw % range;
  }
  let product = random.nextUint32() * range;
  let high = Math.floor(product * INVERSE_TWO_POW_32);
  let low = product - high * TWO_POW_32;
  if (low < range) {
    const rejectBelow = (TWO_POW_32 - range) % range;
    while (low < rejectBelow) {
      product = random.nextUint32() * range;
      high = Math.floor(product * INVERSE_TWO_POW_32);
      low = product - high * TWO_POW_32;
    }
  }
  return high;
}

/**
 * The bound for which `nextUint32() < threshold` holds with probability `p` (exactly
 * $\lceil p \cdot 2^{32} \rceil / 2^{32}$): one 32-bit draw per decision instead of the two of a
 * 53-bit uniform float.
 */
export function probabilityThreshold(probability: number): number {
  return probability * TWO_POW_32;
}

/**
 * Draws Fisher–Yates swap offsets for a shuffle visited lazily from the front, packing up to three
 * consecutive ranges $r, r-1, r-2$ (while their product stays within $2^{21}$) into one draw: a
 * uniform integer below their product, decoded digit by digit in mixed radix, which makes the
 * digits independent and uniform. A masker draws a third as many numbers as one draw per step.
 */
export class PackedShuffleOffsets {
  private packed = 0;
  private digits = 0;

  constructor(private readonly random: RandomSource) {}

  /** Forgets any digits left over from the previous shuffle. */
  reset(): void {
    this.digits = 0;
  }

  /** A uniform offset in `[0, range)`; `range` must decrease by one from call to call until `reset`. */
  next(range: number): number {
    if (range === 1 && this.digits === 0) return 0;
    if (this.digits === 0) {
      let product = range;
      let digits = 1;
      while (
        digits < 3 &&
        range - digits >= 2 &&
        product * (range - digits) <= MULTIPLY_SHIFT_LIMIT
      ) {
        product *= range - digits;
        digits++;
      }
      this.packed = drawBelow(this.random, product);
      this.digits = digits;
    }
    const quotient = Math.floor(this.packed / range);
    const offset = this.packed - quotient * range;
    this.packed = quotient;
    this.digits--;
    return offset;
  }
}

/**
 * Gaps between successes of independent Bernoulli($p$) trials — the number of failures before the
 * next success, $P(G \ge g) = (1-p)^g$ — drawn with one 32-bit draw per success instead of one per
 * trial. `thresholds[g]` is $\lfloor (1-p)^g \cdot 2^{32} \rfloor$, computed by repeated
 * multiplication (correctly rounded everywhere, so every platform builds the same table);
 * $G \ge g$ exactly when the draw is below `thresholds[g]`. A guide table indexed by the draw's top
 * 8 bits gives the smallest possible $G$, from which a short scan finds it. Past the table's end the
 * distribution is memoryless, so a further gap is drawn and added.
 */
export class GeometricGaps {
  private readonly thresholds: Float64Array;
  /** For each value of the draw's top 8 bits, the gap of the largest draw with those bits. */
  private readonly guide: Int32Array;

  /** @param probability $p \in (0, 1)$. */
  constructor(
    private readonly random: RandomSource,
    probability: number,
  ) {
    const keep = 1 - probability;
    const thresholds = [TWO_POW_32];
    let power = 1;
    while (thresholds.length < 4096) {
      power *= keep;
      const threshold = Math.floor(power * TWO_POW_32);
      if (threshold < 1) break;
      thresholds.push(threshold);
    }
    this.thresholds = Float64Array.from(thresholds);
    this.guide = new Int32Array(256);
    for (let bucket = 0, gap = thresholds.length - 1; bucket < 256; bucket++) {
      const largest = (bucket + 1) * 2 ** 24 - 1;
      while (gap > 0 && largest >= thresholds[gap]!) gap--;
      this.guide[bucket] = gap;
    }
  }

  /** The number of failures before the next success. */
  next(): number {
    const { thresholds, guide } = this;
    const last = thresholds.length - 1;
    let total = 0;
    for (;;) {
      const draw = this.random.nextUint32();
      if (draw < thresholds[last]!) {
        total += last;
        continue;
      }
      // The largest g with draw < thresholds[g], at least the guide's (thresholds decrease).
      let gap = guide[Math.floor(draw / 2 ** 24)]!;
      while (draw < thresholds[gap + 1]!) gap++;
      return total + gap;
    }
  }
}
