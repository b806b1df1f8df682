import {
  checkInteger,
  checkOneOf,
  checkPositiveInteger,
  InvalidArgumentError,
} from '@lm-objectives/core';

/**
 * How a BERT batch is padded: to its longest row (`'longest'`, the default) or to `maxLength`
 * (`'max-length'`, a fixed shape that avoids re-tracing and re-allocating per batch; Hugging
 * Face's `padding="max_length"`).
 */
export type BertPadding = 'longest' | 'max-length';

/** The padding options shared by `createBertObjective` and `createBertBatch`. */
export interface BertPaddingOptions {
  /** The longest row allowed, specials included; a longer example is an error. Default: no limit. */
  maxLength?: number;
  /** `'longest'` (default) or `'max-length'` (needs `maxLength`). */
  padding?: BertPadding;
  /** Round the padded length up to a multiple of this (e.g. 8); `maxLength` must be one. Default 1. */
  padToMultipleOf?: number;
}

/** {@link BertPaddingOptions} checked, with the defaults. */
export interface ResolvedBertPadding {
  readonly maxLength: number | undefined;
  readonly padding: BertPadding;
  readonly padToMultipleOf: number;
}

/** Checks the padding options of `given` (an options object whose keys were already checked). */
export function resolveBertPadding(
  functionName: string,
  given: Readonly<Record<string, unknown>>,
): ResolvedBertPadding {
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const maxLength =
    given['maxLength'] === undefined
      ? undefined
      : checkInteger(
          site('maxLength'),
          given['maxLength'],
          { min: 1, max: 2 ** 31 - 1 },
          'pass the longest row your encoder takes, e.g. 128 (the pair builder’s maxLength).',
        );
  const padding = checkOneOf(
    site('padding'),
    given['padding'],
    ['longest', 'max-length'] as const,
    'longest',
  );
  if (padding === 'max-length' && maxLength === undefined) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: "a length to pad to, with padding: 'max-length'",
      received: undefined,
      fix: "pass maxLength, or use padding: 'longest'.",
    });
  }
  const padToMultipleOf = checkPositiveInteger(
    site('padToMultipleOf'),
    given['padToMultipleOf'],
    'pass a positive integer such as 8, or leave it out.',
    1,
  );
  if (maxLength !== undefined && maxLength % padToMultipleOf !== 0) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: `a multiple of padToMultipleOf (${padToMultipleOf}), so that rounding up never passes maxLength`,
      received: maxLength,
      fix: `pass maxLength ${Math.ceil(maxLength / padToMultipleOf) * padToMultipleOf} or ${Math.floor(maxLength / padToMultipleOf) * padToMultipleOf}, or another padToMultipleOf.`,
    });
  }
  return { maxLength, padding, padToMultipleOf };
}

/**
 * The padded length $L$ of a batch whose longest example has `longest` tokens: `maxLength` with
 * `'max-length'`, else `longest`, rounded up to a multiple of `padToMultipleOf`:
 * $L = m \lceil \ell / m \rceil$.
 */
export function paddedLength(padding: ResolvedBertPadding, longest: number): number {
  const base = padding.padding === 'max-length' ? padding.maxLength! : longest;
  const multiple = padding.padToMultipleOf;
  return Math.ceil(base / multiple) * multiple;
}
