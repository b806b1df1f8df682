import {
  checkBoolean,
  checkFiniteNumber,
  checkOneOf,
  checkOptionsObject,
  checkPositiveInteger,
  checkProbability,
  checkTokenId,
  type PaddingStrategy,
  type ResolvedPadding,
  resolvePadding,
} from '@lm-objectives/core';
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
  /**
   * Longest row; longer sequences are truncated. Required with `packing` and `padding:
   * 'max-length'`; a multiple of `padToMultipleOf`. Default: no limit.
   */
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
export interface ResolvedConditionalLmOptions extends ResolvedPadding {
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly vocabularySize: number | undefined;
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

/**
 * The row-length options: `packing`, and `maxLength`, `padding`, `padToMultipleOf` through core's
 * `resolvePadding` (packing, like `padding: 'max-length'`, needs a row length).
 */
function resolveRowLength(functionName: string, options: ConditionalLmOptions) {
  const packing = checkBoolean(optionSite(functionName, 'packing'), options.packing, false);
  const padding = resolvePadding(functionName, options, {
    minLength: 2,
    maxLengthFix: 'pass the longest row length, at least 2 (a prompt token and a target).',
    ...(packing ? { requiredBy: { because: 'packing is on', otherwise: 'turn packing off' } } : {}),
  });
  return { packing, ...padding };
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
