import { InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import { windowCounts } from '../step/window-counts';

/**
 * Checks a window (a non-empty array of micro-batches) and returns its counted items per part,
 * $N_p = \sum_k \mathrm{count}_{k,p}$ (see {@link scoresNothing} for the window whose loss would be
 * $0/0$).
 */
export function checkWindow<PartName extends string>(
  window: readonly ObjectiveBatchV1[],
  partNames: readonly PartName[],
  functionName: string,
): Record<PartName, number> {
  if (!Array.isArray(window) || window.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'window',
      expected: 'a non-empty array of batches made by the objective',
      received: window,
      fix: 'pass [batch], or the K micro-batches of one accumulation window.',
    });
  }
  return windowCounts(
    window as readonly ObjectiveBatchV1<string, PartName>[],
    partNames,
    functionName,
  );
}

/** Whether a window's counts score nothing at all ($\sum_p N_p = 0$). */
export function scoresNothing(counts: Readonly<Record<string, number>>): boolean {
  return Object.values(counts).every((count) => count === 0);
}

/** The error for a window with no scored items, naming its counts and the fix. */
export function emptyWindowError(
  functionName: string,
  window: readonly ObjectiveBatchV1[],
  counts: Readonly<Record<string, number>>,
  argumentName = 'window',
): InvalidArgumentError {
  const listed = Object.entries(counts)
    .map(([part, count]) => `${part}: ${count}`)
    .join(', ');
  return new InvalidArgumentError({
    functionName,
    argumentName,
    expected: `a ${argumentName} with at least one scored token (some batch.counts entry > 0)`,
    received: window,
    receivedDescription: `${window.length} micro-batch${window.length === 1 ? '' : 'es'} that score nothing (${listed})`,
    fix: 'leave such windows out (e.g. a conditional batch whose examples were all dropped for being too long); trainer.train skips them with a warning.',
  });
}

/** Token positions a window processes: rows × `dimensions.sequence`, or the counted items without one. */
export function windowTokens(window: readonly ObjectiveBatchV1[]): number {
  let tokens = 0;
  for (const batch of window) {
    const sequence = batch.dimensions?.['sequence'];
    tokens +=
      typeof sequence === 'number'
        ? batch.size * sequence
        : Object.values(batch.counts as Record<string, number>).reduce(
            (sum, count) => sum + count,
            0,
          );
  }
  return tokens;
}
