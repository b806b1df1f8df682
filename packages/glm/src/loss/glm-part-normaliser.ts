import { checkFiniteNumber, checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import { GLM_MODES, type GlmMode } from '../glm-sample';

/**
 * The shared normaliser of GLM's parts, $N = \sum_m N_m$, where $N_m$ is `numItemsInBatch[m]`
 * (the Part B tokens of mode $m$ over a whole accumulation window) or, when not given, this
 * batch's `counts[m]`.
 *
 * A window total is a sum over micro-batches that include this one, so
 * $N_m \ge \mathrm{counts}_m$; a smaller value (such as 0 while the batch counts tokens) is an
 * error rather than a silently wrong scale. `numItemsInBatch` must be an object keyed by part
 * names (`span`, `sentence`, `document`); a misspelt part is an error suggesting the right one.
 */
export function glmPartNormaliser(
  functionName: string,
  numItemsInBatch: unknown,
  counts: Readonly<Record<GlmMode, number>>,
): number {
  if (numItemsInBatch === undefined) {
    return GLM_MODES.reduce((sum, mode) => sum + counts[mode], 0);
  }
  if (
    numItemsInBatch === null ||
    typeof numItemsInBatch !== 'object' ||
    Array.isArray(numItemsInBatch)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'numItemsInBatch',
      expected: `an object with a window total per part, e.g. { span: 120, document: 40 } (parts: ${GLM_MODES.join(', ')})`,
      received: numItemsInBatch,
      fix: 'pass the sums of batch.counts over the accumulation window, keyed by part, or leave numItemsInBatch out.',
    });
  }
  checkOptionKeys(functionName, numItemsInBatch, GLM_MODES, 'numItemsInBatch');
  const given = numItemsInBatch as Readonly<Record<string, unknown>>;
  let normaliser = 0;
  for (const mode of GLM_MODES) {
    if (given[mode] === undefined) {
      normaliser += counts[mode];
      continue;
    }
    normaliser += checkFiniteNumber(
      { functionName, argumentName: `numItemsInBatch.${mode}` },
      given[mode],
      { min: counts[mode] },
      `pass the total count of ${mode} tokens over the accumulation window, which includes this batch's ${counts[mode]}.`,
    );
  }
  return normaliser;
}
