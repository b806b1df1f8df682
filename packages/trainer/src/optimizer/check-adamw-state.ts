import { InvalidArgumentError } from '@lm-objectives/core';
import type { AdamWState } from './adamw';

/**
 * Checks an AdamW state before any of it is restored: one update count $t_i$ (an integer ≥ 0)
 * and two `Float32Array` moments per variable, of the variable's size, with finite values and
 * $v_i \ge 0$ (a running mean of squares).
 */
export function checkAdamWState(state: AdamWState, sizes: readonly number[]): void {
  const fail = (argumentName: string, expected: string, received: unknown) =>
    new InvalidArgumentError({
      functionName: 'AdamWOptimizer.setState',
      argumentName,
      expected,
      received,
      fix: 'restore a state saved from an optimizer over the same variables (getState()).',
    });
  if (state === null || typeof state !== 'object') throw fail('state', 'an AdamW state', state);
  for (const name of ['steps', 'firstMoments', 'secondMoments'] as const) {
    if (!Array.isArray(state[name]) || state[name].length !== sizes.length) {
      throw fail(`state.${name}`, `one entry per variable (${sizes.length})`, state[name]);
    }
  }
  sizes.forEach((size, index) => {
    const count = state.steps[index];
    if (!(Number.isSafeInteger(count) && (count as number) >= 0)) {
      throw fail(`state.steps[${index}]`, 'an update count (an integer ≥ 0)', count);
    }
    for (const name of ['firstMoments', 'secondMoments'] as const) {
      const moment: unknown = state[name][index];
      const minimum = name === 'secondMoments' ? 0 : Number.NEGATIVE_INFINITY;
      const valid =
        moment instanceof Float32Array &&
        moment.length === size &&
        moment.every((value) => Number.isFinite(value) && value >= minimum);
      if (!valid) {
        throw fail(
          `state.${name}[${index}]`,
          `a Float32Array of ${size} finite values${minimum === 0 ? ' ≥ 0' : ''}`,
          moment,
        );
      }
    }
  });
}
