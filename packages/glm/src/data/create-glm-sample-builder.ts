import {
  checkBoolean,
  checkOptionKeys,
  InvalidArgumentError,
  type RandomSource,
} from '@lm-objectives/core';
import {
  GLM_SAMPLE_BUILDER_OPTION_KEYS,
  type GlmSampleBuilderOptions,
  type ResolvedGlmSampleBuilderOptions,
  resolveGlmSampleBuilderOptions,
} from '../glm-options';
import { GLM_MODES, type GlmMode, type GlmSample, type GlmSpan } from '../glm-sample';
import { checkExplicitSpans } from './check-explicit-spans';
import { chooseGlmMode, drawGenerationLength, type GlmModeChoice } from './choose-glm-mode';
import { type GlmBlanks, layoutGlmSample } from './layout-glm-sample';
import { checkPartBOrder, drawPartBOrder } from './part-b-order';
import { prepareGlmText } from './prepare-glm-text';
import { sampleSentences } from './sample-sentences';
import { sampleTokenSpans, type TokenSpanRules } from './sample-token-spans';
import { createSpanLengthSampler, truncatedPoissonWeights } from './span-length-distribution';

/** Blanks chosen by the caller (how the reference's worked examples are reproduced). */
export interface GlmExplicitBlanks {
  /** The blanks in sample coordinates (`[CLS]` = 0, so text token `t` is at `t + 1` with `prependCls`). Any order; disjoint; never `[CLS]`. */
  readonly spans: readonly GlmSpan[];
  /** Part B order as indices into the spans sorted by start. Default: random when `random` is given and `shuffle` is on, else text order. */
  readonly order?: readonly number[];
  /** `'span'` (default, `[MASK]`) or `'sentence'` (`[sMASK]`). */
  readonly mode?: 'span' | 'sentence';
  /** Used only to draw the order when none is given. */
  readonly random?: RandomSource;
}

/** Builds GLM samples from tokenized texts. Pure: all randomness comes from the `random` argument. */
export interface GlmSampleBuilder {
  /** The options with every default filled in. */
  readonly options: ResolvedGlmSampleBuilderOptions;
  /**
   * Draws a sample's mode: single span with probability `singleSpanProbability`; otherwise token
   * spans with `spanProbability`, sentences with `sentenceProbability`, the document suffix with
   * the rest.
   */
  chooseMode(random: RandomSource): GlmModeChoice;
  /** Draws the mode (unless `choice` is given) and the blanks, then lays the sample out. */
  build(text: ArrayLike<number>, random: RandomSource, choice?: GlmModeChoice): GlmSample;
  /** Lays out a sample with the given blanks and Part B order (no randomness unless the order is drawn). */
  buildWithSpans(text: ArrayLike<number>, blanks: GlmExplicitBlanks): GlmSample;
  /** Lays out the `[gMASK]` sample whose last `generationLength` tokens are generated. */
  buildDocument(text: ArrayLike<number>, options: { readonly generationLength: number }): GlmSample;
}

/** The resolved options and the span-length sampler every build shares. */
interface BuilderRules extends TokenSpanRules {
  readonly options: ResolvedGlmSampleBuilderOptions;
}

/** Lays out a sample, with the mask token of its mode: `[MASK]`, `[sMASK]` or `[gMASK]`. */
function layout(
  options: ResolvedGlmSampleBuilderOptions,
  mode: GlmMode,
  text: Int32Array,
  blanks: GlmBlanks,
  order: readonly number[],
): GlmSample {
  const maskTokenId =
    mode === 'span'
      ? options.maskTokenId
      : mode === 'sentence'
        ? options.sMaskTokenId
        : options.gMaskTokenId;
  return layoutGlmSample({
    mode,
    text,
    blanks,
    order,
    maskTokenId,
    sopTokenId: options.sopTokenId,
    eopTokenId: options.eopTokenId,
  });
}

/** The `[gMASK]` sample of a text whose last `generationLength` tokens form the one blank. */
function documentSample(
  options: ResolvedGlmSampleBuilderOptions,
  text: Int32Array,
  generationLength: number,
): GlmSample {
  const blanks: GlmBlanks = {
    starts: Int32Array.of(text.length - generationLength),
    ends: Int32Array.of(text.length),
    fit: 'drawn',
  };
  return layout(options, 'document', text, blanks, [0]);
}

/** Throws unless `choice` (when given) names one of the modes the builder can draw. */
function checkModeChoice(
  functionName: string,
  options: ResolvedGlmSampleBuilderOptions,
  choice: GlmModeChoice | undefined,
): void {
  checkOptionKeys(functionName, choice, ['mode', 'singleSpan'], 'choice');
  if (choice !== undefined)
    checkBoolean({ functionName, argumentName: 'choice.singleSpan' }, choice.singleSpan, false);
  if (choice !== undefined && !GLM_MODES.includes(choice?.mode)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'choice.mode',
      expected: `one of ${GLM_MODES.map((mode) => `'${mode}'`).join(', ')}`,
      received: choice?.mode,
      fix: 'pass the result of builder.chooseMode(random), or leave choice out.',
    });
  }
  if (choice?.mode === 'sentence' && options.sentenceSplitter === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'choice.mode',
      expected: "'span' or 'document' (this builder has no sentence splitter)",
      received: choice.mode,
      fix: 'create the builder with a sentenceSplitter to use sentence infilling.',
    });
  }
}

/** `build`: draws the mode (unless given), the blanks of that mode and Part B's order. */
function buildSample(
  rules: BuilderRules,
  text: ArrayLike<number>,
  random: RandomSource,
  choice: GlmModeChoice | undefined,
): GlmSample {
  const functionName = 'GlmSampleBuilder.build';
  const { options } = rules;
  const ids = prepareGlmText(functionName, text, options.clsTokenId, options.prependCls);
  checkModeChoice(functionName, options, choice);
  const { mode, singleSpan } = choice ?? chooseGlmMode(options, random);
  if (mode === 'document') {
    const generationLength = drawGenerationLength(
      ids.length,
      options.documentMinBlankRatio,
      random,
    );
    return documentSample(options, ids, generationLength);
  }
  const blanks =
    mode === 'span'
      ? sampleTokenSpans(ids, rules, random, singleSpan)
      : sampleSentences(options.sentenceSplitter!, options.sentenceBlankRatio, ids, random);
  return layout(
    options,
    mode,
    ids,
    blanks,
    drawPartBOrder(blanks.starts.length, options.shuffle, random),
  );
}

/** `buildWithSpans`: the caller's blanks and order, checked. */
function buildSampleWithSpans(
  options: ResolvedGlmSampleBuilderOptions,
  text: ArrayLike<number>,
  blanks: GlmExplicitBlanks,
): GlmSample {
  const functionName = 'GlmSampleBuilder.buildWithSpans';
  const ids = prepareGlmText(functionName, text, options.clsTokenId, options.prependCls);
  checkOptionKeys(functionName, blanks, ['spans', 'order', 'mode', 'random'], 'blanks');
  const mode = blanks?.mode ?? 'span';
  if (mode !== 'span' && mode !== 'sentence') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'blanks.mode',
      expected: "'span' or 'sentence' (use buildDocument for a [gMASK] suffix)",
      received: mode,
      fix: "pass mode 'span' or 'sentence'.",
    });
  }
  const spans = checkExplicitSpans(functionName, blanks?.spans, ids.length);
  const order =
    blanks.order === undefined
      ? drawPartBOrder(spans.starts.length, options.shuffle, blanks.random)
      : checkPartBOrder(functionName, blanks.order, spans.starts.length);
  return layout(options, mode, ids, spans, order);
}

/** `buildDocument`: the `[gMASK]` sample with a given generation length in $[1, n - 1]$. */
function buildDocumentSample(
  options: ResolvedGlmSampleBuilderOptions,
  text: ArrayLike<number>,
  given: { readonly generationLength: number },
): GlmSample {
  const functionName = 'GlmSampleBuilder.buildDocument';
  const ids = prepareGlmText(functionName, text, options.clsTokenId, options.prependCls);
  checkOptionKeys(functionName, given, ['generationLength']);
  const maximum = ids.length - 1;
  const generationLength = given?.generationLength;
  if (
    !(Number.isInteger(generationLength) && generationLength >= 1 && generationLength <= maximum)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.generationLength',
      expected: `an integer in [1, ${maximum}] (how many final tokens of the text after [CLS] to generate)`,
      received: generationLength,
      fix: 'pass { generationLength } no longer than the text.',
    });
  }
  return documentSample(options, ids, generationLength);
}

/**
 * Creates a builder of GLM blank-infilling samples (the reference's `ConstructBlockStrategy`,
 * one sample at a time). The rules of each mode:
 *
 * - **Token spans** (`sampleTokenSpans`): lengths $\ell \sim$ Poisson($\lambda$) on
 *   $1 \dots 39$ until $S = \sum \ell_i \ge \max(1, \lfloor r \cdot n \rfloor)$ (or exactly one with
 *   probability `singleSpanProbability`), placed without ever touching in the $n - 1$ tokens after
 *   `[CLS]`; a text too short for them gets redrawn or shortened lengths, never dropped
 *   (`sample.fit` says which).
 * - **Sentences** (`sampleSentences`): the splitter's sentences, shuffled, taken until the
 *   blanked total reaches $\max(1, \lfloor r \cdot n \rfloor)$; whole sentences only.
 * - **Document suffix** (`drawGenerationLength`): the last $g$ tokens, $g$ uniform in
 *   $[\max(1, \lfloor r \cdot n\rfloor), \max(1, n - 2)]$, become one `[gMASK]` blank with no `[eop]`.
 *
 * The mode is drawn by `chooseGlmMode`, Part B's order by `drawPartBOrder`, and the sample laid
 * out by `layoutGlmSample` (the package's `data/` folder, one rule per function).
 *
 * @example
 * const builder = createGlmSampleBuilder({ clsTokenId: 1, maskTokenId: 2, sopTokenId: 3, eopTokenId: 4, gMaskTokenId: 5 });
 * const sample = builder.build(textIds, createRng(42));
 */
export function createGlmSampleBuilder(options: GlmSampleBuilderOptions): GlmSampleBuilder {
  const resolved = resolveGlmSampleBuilderOptions(
    'createGlmSampleBuilder',
    options,
    GLM_SAMPLE_BUILDER_OPTION_KEYS,
  );
  return createGlmSampleBuilderFromResolved(resolved);
}

/** A {@link GlmSampleBuilder} for options already resolved (by `createGlmObjective` or `createGlmBatch`). */
export function createGlmSampleBuilderFromResolved(
  options: ResolvedGlmSampleBuilderOptions,
): GlmSampleBuilder {
  const rules: BuilderRules = {
    options,
    lengths: createSpanLengthSampler(
      truncatedPoissonWeights(options.averageSpanLength, options.maxSpanLength),
    ),
    spanBlankRatio: options.spanBlankRatio,
    fitRedraws: options.fitRedraws,
  };
  return Object.freeze({
    options,
    chooseMode: (random: RandomSource) => chooseGlmMode(options, random),
    build: (text: ArrayLike<number>, random: RandomSource, choice?: GlmModeChoice) =>
      buildSample(rules, text, random, choice),
    buildWithSpans: (text: ArrayLike<number>, blanks: GlmExplicitBlanks) =>
      buildSampleWithSpans(options, text, blanks),
    buildDocument: (text: ArrayLike<number>, given: { readonly generationLength: number }) =>
      buildDocumentSample(options, text, given),
  });
}
