import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Refuses a rank larger than the adapted kernel allows: $\Delta W = s\,AB$ with $W$ `[in, out]`
 * has rank at most $\min(\mathrm{in}, \mathrm{out})$, so $r > \min(\mathrm{in}, \mathrm{out})$
 * adds parameters ($r(\mathrm{in} + \mathrm{out})$) without adding anything $\Delta W$ can
 * express — usually a rank meant for a wider model.
 *
 * @param argumentName where the rank came from, e.g. `'options.rank'`.
 * @param name the adapted linear, for the message.
 */
export function checkRankFitsKernel(
  functionName: string,
  argumentName: string,
  rank: number,
  name: string,
  [inputSize, outputSize]: readonly [number, number],
): void {
  const widest = Math.min(inputSize, outputSize);
  if (rank <= widest) return;
  throw new InvalidArgumentError({
    functionName,
    argumentName,
    expected: `a rank of at most ${widest}, min(in, out) of '${name}' (kernel [${inputSize}, ${outputSize}]): ΔW = s·AB cannot have a higher rank`,
    received: rank,
    fix: `pass rank ≤ ${widest}, or leave '${name}' out of the targets.`,
  });
}
