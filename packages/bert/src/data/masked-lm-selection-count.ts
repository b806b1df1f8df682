import { roundHalfEven } from './round-half-even';

/** How the masked-LM masker decides which positions to predict. */
export type MaskedLmSelection =
  /** The original BERT generator: exactly $\min(P, \max(1, \mathrm{round}(n \cdot r)))$ tokens, $n$ counting `[CLS]`/`[SEP]`, Python rounding. */
  | 'exact-round'
  /** TensorFlow Text / keras-hub: exactly $\min(\lceil m \cdot r \rceil, P)$ of the $m$ selectable tokens (computed in float32). */
  | 'exact-ceil'
  /** The Python ecosystem's default collator: each selectable token independently with probability $r$. */
  | 'bernoulli';

/**
 * How many tokens an exact selection policy predicts in one sequence.
 *
 * - `'exact-round'`: $\min(P, \max(1, \mathrm{round}(n \cdot r)))$ where $n$ is the number of tokens
 *   of the sequence **including** `[CLS]` and `[SEP]` (padding excluded) and `round` is Python's
 *   (ties to even: $\mathrm{round}(4.5) = 4$).
 * - `'exact-ceil'`: $\min(\lceil m \cdot r \rceil, P)$ where $m$ is the number of selectable tokens;
 *   the product is taken in float32 as TensorFlow Text does, so $m = 100, r = 0.15$ gives 16.
 *
 * Either is further limited by the number of selectable tokens (no token is predicted twice).
 * `'bernoulli'` has no fixed count; it returns the cap $P$.
 *
 * @param selection the policy.
 * @param tokenCount $n$ for `'exact-round'` (all non-padding tokens), $m$ for `'exact-ceil'` (selectable tokens).
 * @param ratio the selection ratio $r$.
 * @param maxPredictions the cap $P$.
 */
export function maskedLmSelectionCount(
  selection: MaskedLmSelection,
  tokenCount: number,
  ratio: number,
  maxPredictions: number,
): number {
  if (selection === 'exact-round') {
    return Math.min(maxPredictions, Math.max(1, roundHalfEven(tokenCount * ratio)));
  }
  if (selection === 'exact-ceil') {
    const product = Math.fround(Math.fround(tokenCount) * Math.fround(ratio));
    return Math.min(Math.ceil(product), maxPredictions);
  }
  return maxPredictions;
}
