import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { checkInteger, checkPositiveInteger } from './check-integer';
import { checkOneOf } from './check-one-of';

/**
 * How long a batch's rows are: padded to the batch's longest row (`'longest'`), or to `maxLength`
 * (`'max-length'`: one fixed shape for every batch, which spares re-tracing and re-allocating;
 * Hugging Face's `padding="max_length"`).
 */
export type PaddingStrategy = 'longest' | 'max-length';

/** The padding options every first-party `create<Name>Batch` takes (one vocabulary). */
export interface PaddingOptions {
  /** The longest row allowed. Default: no limit. Required with `padding: 'max-length'`. */
  maxLength?: number;
  /** `'longest'` (default) or `'max-length'`. */
  padding?: PaddingStrategy;
  /** Round the padded length up to a multiple of this (e.g. 8). Default 1. */
  padToMultipleOf?: number;
}

/** {@link PaddingOptions} checked, with the defaults. */
export interface ResolvedPadding {
  readonly maxLength: number | undefined;
  readonly padding: PaddingStrategy;
  readonly padToMultipleOf: number;
}

/** What a package adds to {@link resolvePadding}'s rules. */
export interface PaddingRules {
  /** The shortest `maxLength` allowed. Default 1. */
  readonly minLength?: number;
  /** How to fix a bad `maxLength`, in the package's words. */
  readonly maxLengthFix?: string;
  /**
   * Another setting that needs `maxLength` as well as `padding: 'max-length'` does: `because`
   * ends "a row length, because …" (e.g. `'packing is on'`), `otherwise` ends the fix "set
   * maxLength, or …" (e.g. `'turn packing off'`).
   */
  readonly requiredBy?: { readonly because: string; readonly otherwise: string };
  /**
   * Refuse a `maxLength` that is not a multiple of `padToMultipleOf`, for packages whose rows must
   * never be longer than `maxLength` (rounding up would pass it). Default `false`: rows round up
   * past `maxLength`, as Hugging Face's `pad_to_multiple_of` does after `max_length`.
   */
  readonly maxLengthIsMultiple?: boolean;
}

const LARGEST_LENGTH = 2 ** 31 - 1;

/**
 * Checks the padding options `maxLength`, `padding` and `padToMultipleOf` of `options` (an
 * options object whose keys were already checked) and fills in the defaults. `'max-length'` needs
 * `maxLength` (so do the settings of `rules.requiredBy`), and with `rules.maxLengthIsMultiple`
 * `maxLength` must be a multiple of `padToMultipleOf`. Errors name `options.<name>` of `functionName`.
 *
 * @example
 * const padding = resolvePadding('createAcmeBatch', checkedOptions, { minLength: 2 });
 * const length = paddedLength(padding, longestRow);
 */
export function resolvePadding(
  functionName: string,
  options: Readonly<PaddingOptions> | Readonly<Record<string, unknown>>,
  rules: PaddingRules = {},
): ResolvedPadding {
  // Read as unknowns: the caller's types are not trusted at run time.
  const given = options as Readonly<Record<string, unknown>>;
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const minLength = rules.minLength ?? 1;
  const maxLength =
    given['maxLength'] === undefined
      ? undefined
      : checkInteger(
          site('maxLength'),
          given['maxLength'],
          { min: minLength, max: LARGEST_LENGTH },
          rules.maxLengthFix ?? `pass the longest row your model takes, an integer ≥ ${minLength}.`,
        );
  const padding = checkOneOf(
    site('padding'),
    given['padding'],
    ['longest', 'max-length'] as const,
    'longest',
  );
  const requiredBy =
    padding === 'max-length'
      ? { because: "padding is 'max-length'", otherwise: "use padding: 'longest'" }
      : rules.requiredBy;
  if (maxLength === undefined && requiredBy !== undefined) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: `a row length, because ${requiredBy.because}`,
      received: undefined,
      fix: `set maxLength (the length of every row), or ${requiredBy.otherwise}.`,
    });
  }
  const padToMultipleOf = checkPositiveInteger(
    site('padToMultipleOf'),
    given['padToMultipleOf'],
    'pass a positive integer such as 8, or leave it out.',
    1,
  );
  if (rules.maxLengthIsMultiple && maxLength !== undefined && maxLength % padToMultipleOf !== 0) {
    const below = Math.floor(maxLength / padToMultipleOf) * padToMultipleOf;
    const above = below + padToMultipleOf;
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: `a multiple of padToMultipleOf (${padToMultipleOf}), so that rounding up never passes maxLength`,
      received: maxLength,
      fix: `pass maxLength ${below >= minLength ? `${above} or ${below}` : above}, or another padToMultipleOf.`,
    });
  }
  return { maxLength, padding, padToMultipleOf };
}

/**
 * The padded length $L$ of a batch whose longest row has $\ell$ tokens: `maxLength` with
 * `'max-length'`, else $\ell$, rounded up to a multiple $m$ of `padToMultipleOf`:
 * $L = m \lceil \ell / m \rceil$.
 */
export function paddedLength(padding: ResolvedPadding, longest: number): number {
  const base = padding.padding === 'max-length' ? padding.maxLength! : longest;
  const multiple = padding.padToMultipleOf;
  return Math.ceil(base / multiple) * multiple;
}
