import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOneOf,
  checkOptionsObject,
  checkPositiveInteger,
  checkProbability,
  checkTokenId,
  InvalidArgumentError,
} from '@lm-objectives/core';
import type { MaskingStrategy } from './conditional-example';

/** How an over-long sequence is cut to `maxLength`. */
export type TruncationSide =
  /** Keep the start (prompt first); the completion's end is lost first. */
  | 'end'
  /** Keep the end (completion and EOS); the prompt's start is lost first. */
  | 'start';

/** How long the rows of a batch are. */
export type PaddingStrategy =
  /** Pad every row to the batch's longest row. */
  | 'longest'
  /** Pad every row to `maxLength` (Hugging Face's `padding="max_length"`). */
  | 'max-length';

/** Options of the conditional (completion-only) objective's data side. */
export interface ConditionalLmOptions {
  /** The end-of-sequence id appended after the completion, so the model learns to stop. Required. */
  eosTokenId: number;
  /** The id written at padding positions. Default `eosTokenId` (padding is masked by position, so pad = EOS still trains EOS). */
  padTokenId?: number;
  /** If given, every id must lie in $[0, V)$. */
  vocabularySize?: number;
  /** Longest row; longer sequences are truncated. Required with `packing` and `padding: 'max-length'`. Default: no limit. */
  maxLength?: number;
  /** Pad to the longest row or to `maxLength`. Default `'longest'`. */
  padding?: PaddingStrategy;
  /** Round the padded length up to a multiple of this (e.g. 8 for aligned kernels). Default 1. */
  padToMultipleOf?: number;
  /** Which side to cut. Default `'end'`. */
  truncation?: TruncationSide;
  /** Pack several examples per row (restarting positions, never scoring across a boundary). Default `false`. */
  packing?: boolean;
  /** Which tokens are scored. Default `'completion-only'`. */
  strategy?: MaskingStrategy;
  /** Append `eosTokenId` after the last segment. Default `true`. */
  appendEos?: boolean;
}

/** Options of `createConditionalLmObjective`: the data side's, plus the token loss's extras. */
export interface ConditionalLmObjectiveOptions extends ConditionalLmOptions {
  /** Label smoothing $\varepsilon$ of the token loss. Default 0. */
  labelSmoothing?: number;
  /** z-loss weight $\lambda$ of the token loss. Default 0. */
  zLoss?: number;
}

/** {@link ConditionalLmOptions} with every default filled in. */
export interface ResolvedConditionalLmOptions {
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly vocabularySize: number | undefined;
  readonly maxLength: number | undefined;
  readonly padding: PaddingStrategy;
  readonly padToMultipleOf: number;
  readonly truncation: TruncationSide;
  readonly packing: boolean;
  readonly strategy: MaskingStrategy;
  readonly appendEos: boolean;
}

/** The token loss's settings of {@link ConditionalLmObjectiveOptions}, with defaults. */
export interface ResolvedConditionalLmLossOptions {
  readonly labelSmoothing: number;
  readonly zLoss: number;
}

const DATA_OPTION_KEYS = [
  'eosTokenId',
  'padTokenId',
  'vocabularySize',
  'maxLength',
  'padding',
  'padToMultipleOf',
  'truncation',
  'packing',
  'strategy',
  'appendEos',
] as const;

const LOSS_OPTION_KEYS = ['labelSmoothing', 'zLoss'] as const;

/** Every option name of {@link ConditionalLmObjectiveOptions}. */
export const CONDITIONAL_LM_OBJECTIVE_OPTION_KEYS: readonly string[] = [
  ...DATA_OPTION_KEYS,
  ...LOSS_OPTION_KEYS,
];

/** The site of option `name` of `functionName`, for argument checks. */
const optionSite = (functionName: string, name: string) => ({
  functionName,
  argumentName: `options.${name}`,
});

/** The row-length options: `maxLength`, `padding`, `padToMultipleOf`, and `packing` (which needs a row length). */
function resolveRowLength(functionName: string, options: ConditionalLmOptions) {
  const site = (name: string) => optionSite(functionName, name);
  const packing = checkBoolean(site('packing'), options.packing, false);
  const padding = checkOneOf(
    site('padding'),
    options.padding,
    ['longest', 'max-length'] as const,
    'longest',
  );
  const maxLength =
    options.maxLength === undefined
      ? undefined
      : checkInteger(
          site('maxLength'),
          options.maxLength,
          { min: 2 },
          'pass the longest row length, at least 2 (a prompt token and a target).',
        );
  if (maxLength === undefined && (packing || padding === 'max-length')) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: `a row length when ${packing ? 'packing is on' : "padding is 'max-length'"}`,
      received: maxLength,
      fix: `set maxLength (the length of the ${packing ? 'packed' : 'padded'} rows), or turn ${packing ? 'packing' : "padding: 'max-length'"} off.`,
    });
  }
  const padToMultipleOf = checkPositiveInteger(
    site('padToMultipleOf'),
    options.padToMultipleOf,
    'pass a positive integer such as 8, or leave it out.',
    1,
  );
  return { packing, padding, maxLength, padToMultipleOf };
}

/**
 * Validates the data-side options and fills in the defaults. Unknown names are errors that
 * suggest the closest valid one.
 *
 * @param allowedKeys the option names the caller accepts (the objective also takes the loss's).
 */
export function resolveConditionalLmOptions(
  functionName: string,
  options: ConditionalLmOptions,
  allowedKeys: readonly string[] = DATA_OPTION_KEYS,
): ResolvedConditionalLmOptions {
  checkOptionsObject({ functionName, argumentName: 'options' }, options, {
    required: ['eosTokenId'],
    allowed: allowedKeys,
  });
  const site = (name: string) => optionSite(functionName, name);
  const vocabularySize =
    options.vocabularySize === undefined
      ? undefined
      : checkPositiveInteger(
          site('vocabularySize'),
          options.vocabularySize,
          "pass the tokenizer's vocabulary size.",
        );
  const eosTokenId = checkTokenId(site('eosTokenId'), options.eosTokenId, {
    vocabularySize,
    tokenName: 'EOS',
  });
  const padTokenId = checkTokenId(
    site('padTokenId'),
    options.padTokenId,
    { vocabularySize, tokenName: 'padding' },
    eosTokenId,
  );
  return {
    eosTokenId,
    padTokenId,
    vocabularySize,
    ...resolveRowLength(functionName, options),
    truncation: checkOneOf(
      site('truncation'),
      options.truncation,
      ['end', 'start'] as const,
      'end',
    ),
    strategy: checkOneOf(
      site('strategy'),
      options.strategy,
      ['completion-only', 'all', 'assistant', 'last'] as const,
      'completion-only',
    ),
    appendEos: checkBoolean(site('appendEos'), options.appendEos, true),
  };
}

/** Validates the token loss's options of {@link ConditionalLmObjectiveOptions} (ε and λ). */
export function resolveConditionalLmLossOptions(
  functionName: string,
  options: ConditionalLmObjectiveOptions,
): ResolvedConditionalLmLossOptions {
  const site = (name: string) => optionSite(functionName, name);
  return {
    labelSmoothing: checkProbability(site('labelSmoothing'), options.labelSmoothing, 0),
    zLoss: checkFiniteNumber(
      site('zLoss'),
      options.zLoss,
      { min: 0 },
      'pass λ ≥ 0 (PaLM used 1e-4).',
      0,
    ),
  };
}
