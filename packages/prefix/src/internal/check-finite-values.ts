import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Throws unless every value is finite: a prefix with NaN or ±∞ (a diverged run exported as it
 * was) makes every attention row it joins NaN. The error names the first bad value and says how
 * to load such values deliberately.
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
      expected: 'finite values',
      received: values[index],
      fix: 'the prefix diverged while training: export it from a finite state, or pass { allowNonFinite: true } to load it anyway (for inspection).',
    });
  }
}
