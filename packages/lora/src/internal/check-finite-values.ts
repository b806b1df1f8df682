import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Throws unless every value is finite: weights with NaN or ±∞ (a diverged run saved as it was)
 * would make every later output NaN. The error names the first bad value and says how to load
 * such weights deliberately.
 *
 * @param argumentName where the values came from, e.g. `"checkpoint.weights['q'].b"`.
 */
export function checkFiniteValues(
  functionName: string,
  argumentName: string,
  values: Float32Array,
): void {
  for (let index = 0; index < values.length; index++) {
    if (Number.isFinite(values[index]!)) continue;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}[${index}]`,
      expected: 'finite weights',
      received: values[index],
      fix: 'the adapters diverged before they were saved: load an earlier checkpoint, or pass { allowNonFinite: true } to load them anyway (for inspection).',
    });
  }
}
