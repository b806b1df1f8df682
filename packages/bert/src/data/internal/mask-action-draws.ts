import type { RandomSource } from '@lm-objectives/core';
import { MASK_ACTION, type MaskAction } from '../mask-action';
import { GeometricGaps, probabilityThreshold } from './random-draws';

/**
 * The 80/10/10 actions of a stream of selected units, drawn with few random numbers: the number of
 * `[MASK]` units before the next "random or keep" one is geometric with success probability
 * $1 - m$ (one draw, see {@link GeometricGaps}), and each "random or keep" unit takes one more draw
 * to choose random with probability $r / (1 - m)$. The actions are independent with probabilities
 * $m$, $r$ and $1 - m - r$, exactly as with one draw per unit, for about $2(1 - m)$ draws per
 * unit instead of 1 (0.4 at the default probabilities).
 */
export class MaskActionDraws {
  private readonly gaps: GeometricGaps | undefined;
  private readonly randomThreshold: number;
  private readonly alwaysMask: boolean;
  /** `[MASK]` units left before the next random-or-keep one; −1 until the first draw. */
  private masksLeft = -1;

  constructor(
    private readonly random: RandomSource,
    maskTokenProbability: number,
    randomTokenProbability: number,
  ) {
    const otherProbability = 1 - maskTokenProbability;
    this.alwaysMask = otherProbability <= 0;
    this.gaps =
      !this.alwaysMask && maskTokenProbability > 0
        ? new GeometricGaps(random, otherProbability)
        : undefined;
    this.randomThreshold = this.alwaysMask
      ? 0
      : probabilityThreshold(Math.min(1, randomTokenProbability / otherProbability));
  }

  /** The action of the next selected unit. */
  next(): MaskAction {
    if (this.alwaysMask) return MASK_ACTION.masked;
    if (this.masksLeft < 0) this.masksLeft = this.gaps ? this.gaps.next() : 0;
    if (this.masksLeft > 0) {
      this.masksLeft--;
      return MASK_ACTION.masked;
    }
    const action =
      this.random.nextUint32() < this.randomThreshold ? MASK_ACTION.random : MASK_ACTION.kept;
    this.masksLeft = this.gaps ? this.gaps.next() : 0;
    return action;
  }
}
