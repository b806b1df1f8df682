import { checkBoolean, checkFiniteNumber, checkPositiveInteger } from '@lm-objectives/core';

/**
 * The factor that multiplies a LoRA update: $s = \alpha / r$, or $s = \alpha / \sqrt{r}$ with
 * rank-stabilised LoRA (rsLoRA), under which higher ranks keep learning instead of being scaled
 * towards zero.
 *
 * @param alpha $\alpha > 0$.
 * @param rank $r \ge 1$, an integer.
 * @param rsLora use $\sqrt{r}$ instead of $r$. Default `false`.
 * @example
 * loraScaling(16, 4); // 4
 * loraScaling(16, 4, true); // 8
 */
export function loraScaling(alpha: number, rank: number, rsLora = false): number {
  const functionName = 'loraScaling';
  checkFiniteNumber(
    { functionName, argumentName: 'alpha' },
    alpha,
    { min: 0, minExclusive: true },
    'pass α > 0 (a common choice is α = r or α = 2r).',
  );
  checkPositiveInteger(
    { functionName, argumentName: 'rank' },
    rank,
    'pass the adapter rank r, a positive integer such as 8.',
  );
  const stabilised = checkBoolean({ functionName, argumentName: 'rsLora' }, rsLora, false);
  return alpha / (stabilised ? Math.sqrt(rank) : rank);
}
