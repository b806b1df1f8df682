import { InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';

/**
 * The counted items of each loss part over a whole gradient-accumulation window,
 * $N_p = \sum_k \texttt{batch}_k\texttt{.counts}[p]$: the `numItemsInBatch` every micro-batch's
 * loss is divided by, so that the window's summed gradient equals one big batch's.
 */
export function windowCounts<PartName extends string>(
  window: readonly ObjectiveBatchV1<string, PartName>[],
  partNames: readonly PartName[],
  functionName = 'windowCounts',
): Record<PartName, number> {
  const totals = {} as Record<PartName, number>;
  for (const part of partNames) totals[part] = 0;
  window.forEach((batch, index) => {
    for (const part of partNames) {
      const count = batch.counts?.[part];
      if (!(Number.isFinite(count) && (count as number) >= 0)) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `window[${index}].counts.${part}`,
          expected: 'a finite count ≥ 0 of the items the part scores in this micro-batch',
          received: count,
          fix: "make the objective's data side report every part's count in batch.counts.",
        });
      }
      totals[part] += count as number;
    }
  });
  return totals;
}
