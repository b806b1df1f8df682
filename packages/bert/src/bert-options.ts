import {
  checkBoolean,
  checkDistinctTokenIds,
  checkFiniteNumber,
  checkInteger,
  checkOneOf,
  checkOptionsObject,
  checkTokenId,
  checkTokenIds,
} from '@lm-objectives/core';
import {
  type BertPaddingOptions,
  type ResolvedBertPadding,
  resolveBertPadding,
} from './data/bert-padding';
import {
  MASKED_LM_MASKER_OPTION_KEYS,
  type MaskedLmMaskerOptions,
  RENAMED_MASKER_OPTIONS,
  type ResolvedMaskedLmMaskerOptions,
  resolveMaskedLmMaskerOptions,
} from './data/masked-lm-masker-options';
import { checkRenamedOptions } from './internal/check-renamed-options';
import type { MaskedLmScoring } from './loss/masked-lm-head';

/** The masker options the objective takes (the special-token ids come from the objective's options). */
export type BertMaskingOptions = Omit<
  MaskedLmMaskerOptions,
  'vocabularySize' | 'maskTokenId' | 'padTokenId' | 'specialTokenIds'
>;

/** Options of `createBertObjective`. */
export interface BertObjectiveOptions extends BertPaddingOptions {
  /** $V$. */
  vocabularySize: number;
  /** $H$, the encoder's hidden size. */
  hiddenSize: number;
  /** Id of `[CLS]` (never masked). */
  clsTokenId: number;
  /** Id of `[SEP]` (never masked). */
  sepTokenId: number;
  /** Id of `[PAD]` (padding; never masked). */
  padTokenId: number;
  /** Id of `[MASK]`. The four special ids must differ. */
  maskTokenId: number;
  /** Other ids that are never masked (e.g. `[UNK]`, unused slots), besides the four above. Default none. */
  specialTokenIds?: readonly number[] | Int32Array;
  /**
   * Masked-LM masking (see `createMaskedLmMasker`): `selection`, `selectionRatio`,
   * `maxPredictions`, `maskTokenProbability`, `randomTokenProbability`, `replacement`,
   * `randomTokenPool`, `continuationTokenIds`. Defaults: the original's.
   */
  masking?: BertMaskingOptions;
  /** `'gather-first'` (default) or `'all-positions'` (scores every position; for comparison). */
  maskedLmScoring?: MaskedLmScoring;
  /** `'objective'` (default): the objective owns the tanh pooler; `'model'`: `outputs.pooledOutput` is used. */
  pooler?: 'objective' | 'model';
  /** $\sigma$ of the truncated-normal kernel initialiser. Default 0.02. */
  initializerRange?: number;
  /** LayerNorm $\epsilon$ of the masked-LM transform. Default 1e-12. */
  layerNormEpsilon?: number;
  /** Seed of the heads' initial weights (through `createRng`). Default 0. */
  seed?: number;
  /** Compute the accuracy metrics (one more projection of the masked rows). Default `true`. */
  metrics?: boolean;
}

/** {@link BertObjectiveOptions} with every default filled in. */
export interface ResolvedBertObjectiveOptions extends ResolvedBertPadding {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly padTokenId: number;
  readonly maskTokenId: number;
  /** The extra never-masked ids (without the four above). */
  readonly specialTokenIds: Int32Array;
  /** The masker's options: the given masking options, the special ids and the defaults. */
  readonly masking: ResolvedMaskedLmMaskerOptions;
  readonly maskedLmScoring: MaskedLmScoring;
  readonly pooler: 'objective' | 'model';
  readonly initializerRange: number;
  readonly layerNormEpsilon: number;
  readonly seed: number;
  readonly metrics: boolean;
}

const FUNCTION_NAME = 'createBertObjective';

/** The options of {@link BertObjectiveOptions} without a default. */
const REQUIRED_KEYS = [
  'vocabularySize',
  'hiddenSize',
  'clsTokenId',
  'sepTokenId',
  'padTokenId',
  'maskTokenId',
] as const;

/** The option names of {@link BertObjectiveOptions}. */
const OPTION_KEYS = [
  ...REQUIRED_KEYS,
  'specialTokenIds',
  'masking',
  'maxLength',
  'padding',
  'padToMultipleOf',
  'maskedLmScoring',
  'pooler',
  'initializerRange',
  'layerNormEpsilon',
  'seed',
  'metrics',
] as const;

/** The masker options that the objective sets from its own options. */
const OBJECTIVE_OWNED_MASKER_KEYS: readonly string[] = [
  'vocabularySize',
  'maskTokenId',
  'padTokenId',
  'specialTokenIds',
];

const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });

/** The four special ids, checked against the vocabulary and against each other. */
function resolveTokenIds(given: Readonly<Record<string, unknown>>, vocabularySize: number) {
  const tokenId = (name: string, tokenName: string) =>
    checkTokenId(site(name), given[name], { vocabularySize, tokenName });
  const ids = {
    clsTokenId: tokenId('clsTokenId', '[CLS]'),
    sepTokenId: tokenId('sepTokenId', '[SEP]'),
    padTokenId: tokenId('padTokenId', '[PAD]'),
    maskTokenId: tokenId('maskTokenId', '[MASK]'),
  };
  checkDistinctTokenIds(FUNCTION_NAME, ids);
  return ids;
}

/** The masker's options: `options.masking` (no key the objective owns) plus the special ids. */
function resolveMasking(
  masking: unknown,
  ids: ReturnType<typeof resolveTokenIds>,
  specialTokenIds: Int32Array,
  vocabularySize: number,
): ResolvedMaskedLmMaskerOptions {
  const maskingSite = site('masking');
  const allowed = MASKED_LM_MASKER_OPTION_KEYS.filter(
    (key) => !OBJECTIVE_OWNED_MASKER_KEYS.includes(key),
  );
  checkRenamedOptions(maskingSite, masking, {
    ...RENAMED_MASKER_OPTIONS,
    unselectableTokenIds: 'options.specialTokenIds (top level)',
  });
  const given = masking === undefined ? {} : checkOptionsObject(maskingSite, masking, { allowed });
  return resolveMaskedLmMaskerOptions(
    {
      ...(given as BertMaskingOptions),
      vocabularySize,
      maskTokenId: ids.maskTokenId,
      padTokenId: ids.padTokenId,
      specialTokenIds: [ids.clsTokenId, ids.sepTokenId, ...specialTokenIds],
    },
    maskingSite,
  );
}

/**
 * Checks the objective's options and fills in the defaults.
 *
 * @throws {InvalidArgumentError} for unknown keys at any level (suggesting the closest name), ids
 *   outside the vocabulary, two special tokens with the same id, and values outside their domain.
 */
export function resolveBertOptions(options: BertObjectiveOptions): ResolvedBertObjectiveOptions {
  checkRenamedOptions({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, {
    sequenceLength: "maxLength with padding: 'max-length'",
  });
  const given = checkOptionsObject(
    { functionName: FUNCTION_NAME, argumentName: 'options' },
    options,
    {
      required: REQUIRED_KEYS,
      allowed: OPTION_KEYS,
    },
  );
  const vocabularySize = checkInteger(
    site('vocabularySize'),
    given['vocabularySize'],
    { min: 2, max: 2 ** 31 - 1 },
    'pass the tokenizer vocabulary size (the embedding table has this many rows).',
  );
  const ids = resolveTokenIds(given, vocabularySize);
  const specialTokenIds = checkTokenIds(site('specialTokenIds'), given['specialTokenIds'] ?? [], {
    vocabularySize,
  });
  return Object.freeze({
    vocabularySize,
    hiddenSize: checkInteger(
      site('hiddenSize'),
      given['hiddenSize'],
      { min: 1, max: 2 ** 20 },
      "pass the encoder's hidden size H (the last axis of its hidden states).",
    ),
    ...ids,
    specialTokenIds,
    masking: resolveMasking(given['masking'], ids, specialTokenIds, vocabularySize),
    ...resolveBertPadding(FUNCTION_NAME, given),
    maskedLmScoring: checkOneOf(
      site('maskedLmScoring'),
      given['maskedLmScoring'],
      ['gather-first', 'all-positions'] as const,
      'gather-first',
    ),
    pooler: checkOneOf(
      site('pooler'),
      given['pooler'],
      ['objective', 'model'] as const,
      'objective',
    ),
    initializerRange: checkFiniteNumber(
      site('initializerRange'),
      given['initializerRange'],
      { min: 0 },
      'pass the standard deviation of the initial kernels (BERT: 0.02).',
      0.02,
    ),
    layerNormEpsilon: checkFiniteNumber(
      site('layerNormEpsilon'),
      given['layerNormEpsilon'],
      { min: 0, minExclusive: true },
      'pass a small positive number (BERT: 1e-12).',
      1e-12,
    ),
    seed: checkInteger(
      site('seed'),
      given['seed'],
      { min: 0, max: Number.MAX_SAFE_INTEGER },
      'pass a non-negative integer seed.',
      0,
    ),
    metrics: checkBoolean(site('metrics'), given['metrics'], true),
  });
}
