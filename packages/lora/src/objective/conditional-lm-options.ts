import { InvalidArgumentError } from '@lm-objectives/core';
import { checkBoolean, checkNumber, checkOneOf, checkOptionKeys } from '../internal/validate';
import type { MaskingStrategy } from './conditional-example';

/** How an over-long sequence is cut to `maxLength`. */
export type TruncationSide =
  /** Keep the start (prompt first); the completion's end is lost first. */
  | 'end'
  /** Keep the end (completion and EOS); the prompt's start is lost first. */
  | 'start';

/** Options of the conditional (completion-only) objective's data side. */
export interface ConditionalLmOptions {
  /** The end-of-sequence id appended after the completion, so the model learns to stop. Required. */
  eosTokenId: number;
  /** The id written at padding positions. Default `eosTokenId` (padding is masked by position, so pad = EOS still trains EOS). */
  padTokenId?: number;
  /** If given, every id must lie in $[0, V)$. */
  vocabularySize?: number;
  /** Longest row; longer sequences are truncated. Required with `packing`. Default: no limit. */
  maxLength?: number;
  /** Which side to cut. Default `'end'`. */
  truncation?: TruncationSide;
  /** Pack several examples per row (restarting positions, never scoring across a boundary). Default `false`. */
  packing?: boolean;
  /** Which tokens are scored. Default `'completion-only'`. */
  strategy?: MaskingStrategy;
  /** Append `eosTokenId` after the last segment. Default `true`. */
  appendEos?: boolean;
}

/** {@link ConditionalLmOptions} with every default filled in. */
export interface ResolvedConditionalLmOptions {
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly vocabularySize: number | undefined;
  readonly maxLength: number | undefined;
  readonly truncation: TruncationSide;
  readonly packing: boolean;
  readonly strategy: MaskingStrategy;
  readonly appendEos: boolean;
}

export const CONDITIONAL_LM_OPTION_KEYS = [
  'eosTokenId',
  'padTokenId',
  'vocabularySize',
  'maxLength',
  'truncation',
  'packing',
  'strategy',
  'appendEos',
] as const;

/** Validates the data-side options and fills in the defaults. */
export function resolveConditionalLmOptions(
  functionName: string,
  options: ConditionalLmOptions,
  extraKeys: readonly string[] = [],
): ResolvedConditionalLmOptions {
  checkOptionKeys(functionName, options, [...CONDITIONAL_LM_OPTION_KEYS, ...extraKeys]);
  if (options === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      expected: 'an options object with at least eosTokenId',
      received: options,
      fix: "pass { eosTokenId: tokenizer's end-of-sequence id }.",
    });
  }
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const vocabularySize =
    options.vocabularySize === undefined
      ? undefined
      : checkNumber(
          site('vocabularySize'),
          options.vocabularySize,
          { min: 1, integer: true },
          "pass the tokenizer's vocabulary size.",
        );
  const idRange = { min: 0, integer: true, ...(vocabularySize ? { max: vocabularySize - 1 } : {}) };
  const eosTokenId = checkNumber(
    site('eosTokenId'),
    options.eosTokenId,
    idRange,
    "pass the tokenizer's end-of-sequence id (a non-negative integer below the vocabulary size).",
  );
  const padTokenId =
    options.padTokenId === undefined
      ? eosTokenId
      : checkNumber(
          site('padTokenId'),
          options.padTokenId,
          idRange,
          'pass a token id (often the EOS id).',
        );
  const packing = checkBoolean(site('packing'), options.packing, false);
  const maxLength =
    options.maxLength === undefined
      ? undefined
      : checkNumber(
          site('maxLength'),
          options.maxLength,
          { min: 2, integer: true },
          'pass the longest row length, at least 2 (a prompt token and a target).',
        );
  if (packing && maxLength === undefined) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: 'a row length when packing is on',
      received: maxLength,
      fix: 'set maxLength (the length of the packed rows), or turn packing off.',
    });
  }
  return {
    eosTokenId,
    padTokenId,
    vocabularySize,
    maxLength,
    truncation: checkOneOf(
      site('truncation'),
      options.truncation,
      ['end', 'start'] as const,
      'end',
    ),
    packing,
    strategy: checkOneOf(
      site('strategy'),
      options.strategy,
      ['completion-only', 'all', 'assistant', 'last'] as const,
      'completion-only',
    ),
    appendEos: checkBoolean(site('appendEos'), options.appendEos, true),
  };
}
