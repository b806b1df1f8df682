import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOneOf,
  checkOptionsObject,
  checkProbability,
  checkRatio,
  InvalidArgumentError,
} from '@lm-objectives/core';
import type { SentenceSplitter } from './data/sentence-splitter';
import {
  GLM_SPECIAL_TOKEN_ID_KEYS,
  type GlmSpecialTokenIds,
  REQUIRED_GLM_SPECIAL_TOKEN_ID_KEYS,
  type ResolvedGlmSpecialTokenIds,
  resolveGlmSpecialTokenIds,
} from './glm-special-token-ids';
import { checkRenamedGlmOptions } from './internal/check-renamed-glm-options';

/**
 * Options of `createGlmSampleBuilder`: the special-token ids (required: `clsTokenId`,
 * `maskTokenId`, `sopTokenId`, `eopTokenId`) and the corruption rules. The README maps them to
 * the reference implementation's names.
 */
export interface GlmSampleBuilderOptions extends GlmSpecialTokenIds {
  /** Probability that a sample gets token-span infilling (`[MASK]`). Default 1 (GLM-Base/Large); GLM-10B used 0.5. */
  readonly spanProbability?: number;
  /** Probability of sentence infilling (`[sMASK]`); the rest, $1 - p_\mathrm{span} - p_\mathrm{sentence}$, is the `[gMASK]` document suffix. Default 0; GLM-10B used 0.3. */
  readonly sentenceProbability?: number;
  /** Probability that a sample gets exactly one token span, decided before the mode. Default 0. */
  readonly singleSpanProbability?: number;
  /** Token-span mode blanks until at least $\lfloor r \cdot n \rfloor$ tokens ($n$ with `[CLS]`); $r \in (0, 0.5]$. Default 0.15. */
  readonly spanBlankRatio?: number;
  /** Sentence mode blanks sentences until at least $\lfloor r \cdot n \rfloor$ tokens; $r \in (0, 1]$. Default 0.15. */
  readonly sentenceBlankRatio?: number;
  /** The `[gMASK]` suffix length is uniform in $[\lfloor r \cdot n \rfloor, n - 2]$. Default 0.5 (50–100% of the text); GLM-10B used 0.25. */
  readonly documentMinBlankRatio?: number;
  /** $\lambda$ of the span-length Poisson distribution. Default 3. */
  readonly averageSpanLength?: number;
  /** Longest span; lengths are drawn from Poisson($\lambda$) restricted to $1 \dots$ this. Default 39. */
  readonly maxSpanLength?: number;
  /** Put Part B's spans in a random order (GLM's permutation). `false` keeps text order. Default `true`. */
  readonly shuffle?: boolean;
  /** Splits texts into sentences; required when `sentenceProbability > 0`. See `createSentenceSplitter`. */
  readonly sentenceSplitter?: SentenceSplitter;
  /** Put `[CLS]` in front of each text. With `false` each text must already start with it. Default `true`. */
  readonly prependCls?: boolean;
  /** How many times to redraw span lengths that do not fit a (short) text before shortening them. Default 3. */
  readonly fitRedraws?: number;
}

/** {@link GlmSampleBuilderOptions} with every default filled in. */
export interface ResolvedGlmSampleBuilderOptions extends ResolvedGlmSpecialTokenIds {
  readonly spanProbability: number;
  readonly sentenceProbability: number;
  readonly singleSpanProbability: number;
  readonly spanBlankRatio: number;
  readonly sentenceBlankRatio: number;
  readonly documentMinBlankRatio: number;
  readonly averageSpanLength: number;
  readonly maxSpanLength: number;
  readonly shuffle: boolean;
  readonly sentenceSplitter: SentenceSplitter | undefined;
  readonly prependCls: boolean;
  readonly fitRedraws: number;
}

/** Options of `createGlmBatch`: every {@link GlmSampleBuilderOptions} member, plus how rows are padded. */
export interface GlmBatchOptions extends GlmSampleBuilderOptions {
  /**
   * Draw the corruption mode per sample (default), or once per batch as the reference does (its
   * batches are all token spans, all sentences or all `[gMASK]`).
   */
  readonly modeChoice?: 'per-sample' | 'per-batch';
  /** The longest row allowed; a longer sample is an error, never truncated. Default: no limit. */
  readonly maxLength?: number;
  /** `'longest'` (default): pad to the batch's longest row; `'max-length'`: pad every batch to `maxLength`. */
  readonly padding?: 'longest' | 'max-length';
  /** Round the padded length up to a multiple of this (e.g. 8 for faster kernels). Default 1. */
  readonly padToMultipleOf?: number;
}

/** How `createGlmBatch` pads, resolved. */
export interface ResolvedGlmPadding {
  readonly modeChoice: 'per-sample' | 'per-batch';
  readonly padTokenId: number;
  readonly maxLength: number | undefined;
  readonly padding: 'longest' | 'max-length';
  readonly padToMultipleOf: number;
}

/** Options of `createGlmObjective`: every {@link GlmBatchOptions} member, plus the loss's. */
export interface GlmObjectiveOptions extends GlmBatchOptions {
  /** Label smoothing $\varepsilon$ of the cross-entropy. Default 0. */
  readonly labelSmoothing?: number;
  /** z-loss coefficient $\lambda$ of the cross-entropy. Default 0. */
  readonly zLoss?: number;
}

/** The loss options of {@link GlmObjectiveOptions}, resolved. */
export interface ResolvedGlmLossOptions {
  readonly labelSmoothing: number;
  readonly zLoss: number;
}

/** The option names of {@link GlmSampleBuilderOptions}. */
export const GLM_SAMPLE_BUILDER_OPTION_KEYS: readonly string[] = Object.freeze([
  ...GLM_SPECIAL_TOKEN_ID_KEYS,
  'spanProbability',
  'sentenceProbability',
  'singleSpanProbability',
  'spanBlankRatio',
  'sentenceBlankRatio',
  'documentMinBlankRatio',
  'averageSpanLength',
  'maxSpanLength',
  'shuffle',
  'sentenceSplitter',
  'prependCls',
  'fitRedraws',
]);

const PADDING_OPTION_KEYS = ['modeChoice', 'maxLength', 'padding', 'padToMultipleOf'] as const;

/** The option names of {@link GlmBatchOptions}. */
export const GLM_BATCH_OPTION_KEYS: readonly string[] = Object.freeze([
  ...GLM_SAMPLE_BUILDER_OPTION_KEYS,
  ...PADDING_OPTION_KEYS,
]);

/** The option names of {@link GlmObjectiveOptions}. */
export const GLM_OBJECTIVE_OPTION_KEYS: readonly string[] = Object.freeze([
  ...GLM_BATCH_OPTION_KEYS,
  'labelSmoothing',
  'zLoss',
]);

/**
 * The mode mixture: $p_\mathrm{span}, p_\mathrm{sentence} \in [0, 1]$ with
 * $p_\mathrm{span} + p_\mathrm{sentence} \le 1$ (the rest is the document suffix), and a sentence
 * splitter whenever $p_\mathrm{sentence} > 0$.
 */
function resolveModeMixture(functionName: string, options: Readonly<Record<string, unknown>>) {
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const spanProbability = checkProbability(site('spanProbability'), options['spanProbability'], 1);
  const sentenceProbability = checkProbability(
    site('sentenceProbability'),
    options['sentenceProbability'],
    0,
  );
  if (spanProbability + sentenceProbability > 1 + 1e-9) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.sentenceProbability',
      expected: `at most 1 − spanProbability = ${1 - spanProbability} (the rest is the [gMASK] share)`,
      received: sentenceProbability,
      fix: 'make spanProbability + sentenceProbability ≤ 1, e.g. GLM-10B used 0.5 and 0.3.',
    });
  }
  const sentenceSplitter = options['sentenceSplitter'];
  if (sentenceSplitter !== undefined && typeof sentenceSplitter !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.sentenceSplitter',
      expected: 'a function (text: Int32Array) => sentence end offsets',
      received: sentenceSplitter,
      fix: 'pass createSentenceSplitter({ vocabulary }) or your own splitter function.',
    });
  }
  if (sentenceProbability > 0 && sentenceSplitter === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.sentenceSplitter',
      expected: 'a sentence splitter, because sentenceProbability > 0',
      received: sentenceSplitter,
      fix: 'pass sentenceSplitter: createSentenceSplitter({ vocabulary }) (it needs the token texts), or set sentenceProbability to 0.',
    });
  }
  return {
    spanProbability,
    sentenceProbability,
    sentenceSplitter: sentenceSplitter as SentenceSplitter | undefined,
  };
}

/**
 * Checks the sample-builder options and fills in the defaults. `allowed` lists every option name
 * the calling factory accepts (its own on top of the builder's).
 */
export function resolveGlmSampleBuilderOptions(
  functionName: string,
  options: unknown,
  allowed: readonly string[] = GLM_SAMPLE_BUILDER_OPTION_KEYS,
): ResolvedGlmSampleBuilderOptions {
  // Old names first: a renamed option is best refused with its replacement, not a guess.
  checkRenamedGlmOptions(functionName, options, allowed);
  const given = checkOptionsObject({ functionName, argumentName: 'options' }, options, {
    required: REQUIRED_GLM_SPECIAL_TOKEN_ID_KEYS,
    allowed,
  });
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  return {
    ...resolveGlmSpecialTokenIds(functionName, given),
    ...resolveModeMixture(functionName, given),
    singleSpanProbability: checkProbability(
      site('singleSpanProbability'),
      given['singleSpanProbability'],
      0,
    ),
    // Above one half, non-adjacent spans cannot always reach the share.
    spanBlankRatio: checkRatio(
      site('spanBlankRatio'),
      given['spanBlankRatio'],
      { minExclusive: true, max: 0.5 },
      0.15,
    ),
    sentenceBlankRatio: checkRatio(
      site('sentenceBlankRatio'),
      given['sentenceBlankRatio'],
      { minExclusive: true },
      0.15,
    ),
    documentMinBlankRatio: checkRatio(
      site('documentMinBlankRatio'),
      given['documentMinBlankRatio'],
      {},
      0.5,
    ),
    averageSpanLength: checkFiniteNumber(
      site('averageSpanLength'),
      given['averageSpanLength'],
      { min: 0, minExclusive: true, max: 100 },
      'pass a positive Poisson mean such as 3.',
      3,
    ),
    maxSpanLength: checkInteger(
      site('maxSpanLength'),
      given['maxSpanLength'],
      { min: 1, max: 10_000 },
      'pass a positive integer such as 39.',
      39,
    ),
    shuffle: checkBoolean(site('shuffle'), given['shuffle'], true),
    prependCls: checkBoolean(site('prependCls'), given['prependCls'], true),
    fitRedraws: checkInteger(
      site('fitRedraws'),
      given['fitRedraws'],
      { min: 0, max: 1000 },
      'pass a small non-negative integer such as 3.',
      3,
    ),
  };
}

/**
 * Checks the padding options of {@link GlmBatchOptions} (the builder's are checked by
 * {@link resolveGlmSampleBuilderOptions}). `'max-length'` padding needs `maxLength`.
 */
export function resolveGlmPadding(
  functionName: string,
  options: Readonly<Record<string, unknown>>,
  padTokenId: number,
): ResolvedGlmPadding {
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const modeChoice =
    options['modeChoice'] === undefined
      ? 'per-sample'
      : checkOneOf(site('modeChoice'), options['modeChoice'], ['per-sample', 'per-batch'] as const);
  const padding =
    options['padding'] === undefined
      ? 'longest'
      : checkOneOf(site('padding'), options['padding'], ['longest', 'max-length'] as const);
  const maxLength =
    options['maxLength'] === undefined
      ? undefined
      : checkInteger(
          site('maxLength'),
          options['maxLength'],
          { min: 1, max: 1 << 24 },
          'pass the longest row your model takes, a positive integer.',
        );
  if (padding === 'max-length' && maxLength === undefined) {
    throw new InvalidArgumentError({
      ...site('maxLength'),
      expected: "a positive integer, because padding is 'max-length'",
      received: maxLength,
      fix: "set maxLength (the length every row is padded to), or use padding 'longest'.",
    });
  }
  const padToMultipleOf = checkInteger(
    site('padToMultipleOf'),
    options['padToMultipleOf'],
    { min: 1, max: 1 << 20 },
    'pass a positive integer such as 8.',
    1,
  );
  return { modeChoice, padTokenId, maxLength, padding, padToMultipleOf };
}

/** Checks the loss options of {@link GlmObjectiveOptions} and fills in the defaults. */
export function resolveGlmLossOptions(
  functionName: string,
  options: Readonly<Record<string, unknown>>,
): ResolvedGlmLossOptions {
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  return {
    labelSmoothing: checkFiniteNumber(
      site('labelSmoothing'),
      options['labelSmoothing'],
      { min: 0, max: 1 },
      'pass ε in [0, 1], e.g. 0.1.',
      0,
    ),
    zLoss: checkFiniteNumber(
      site('zLoss'),
      options['zLoss'],
      { min: 0 },
      'pass a non-negative coefficient such as 1e-4.',
      0,
    ),
  };
}
