import {
  checkDistinctTokenIds,
  checkFiniteNumber,
  checkInteger,
  checkOptionsObject,
  checkRatio,
  checkTokenId,
  checkTokenIds,
  InvalidArgumentError,
} from '@lm-objectives/core';

/** Options of `createElectraObjective`. */
export interface ElectraObjectiveOptions {
  /** $V$. */
  readonly vocabularySize: number;
  /** Id of `[MASK]`, written into the generator's input. */
  readonly maskTokenId: number;
  /** Id of `[PAD]`. */
  readonly padTokenId: number;
  /** Ids never masked nor proposed as replacements, e.g. `[CLS]` and `[SEP]`. Default none. */
  readonly specialTokenIds?: readonly number[];
  /** $r$: the share of each row's ordinary tokens to mask (rounded, at least one), in $(0, 1]$. Default 0.15 (the paper's). */
  readonly maskRatio?: number;
  /** $\lambda$, the weight of the discriminator loss: $L = L_{\mathrm{MLM}} + \lambda L_{\mathrm{Disc}}$. Default 50 (the paper's). */
  readonly discriminatorWeight?: number;
}

/** {@link ElectraObjectiveOptions} with every default filled in. */
export interface ResolvedElectraOptions {
  /** $V$. */
  readonly vocabularySize: number;
  /** Id of `[MASK]`. */
  readonly maskTokenId: number;
  /** Id of `[PAD]`. */
  readonly padTokenId: number;
  /** `[MASK]`, `[PAD]` and the special ids: never masked, never proposed. */
  readonly reservedIds: ReadonlySet<number>;
  /** $r$, the share of each row's ordinary tokens to mask. */
  readonly maskRatio: number;
  /** $\lambda$. */
  readonly discriminatorWeight: number;
}

const FUNCTION_NAME = 'createElectraObjective';

const OPTION_KEYS = [
  'vocabularySize',
  'maskTokenId',
  'padTokenId',
  'specialTokenIds',
  'maskRatio',
  'discriminatorWeight',
] as const;

/** Checks the options and fills in the defaults, with typed errors naming the option. */
export function resolveElectraOptions(options: ElectraObjectiveOptions): ResolvedElectraOptions {
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const given = checkOptionsObject(
    { functionName: FUNCTION_NAME, argumentName: 'options' },
    options,
    {
      required: ['vocabularySize', 'maskTokenId', 'padTokenId'],
      allowed: OPTION_KEYS,
    },
  );
  const vocabularySize = checkInteger(
    site('vocabularySize'),
    given.vocabularySize,
    { min: 3, max: 2 ** 31 - 1 },
    'pass the tokenizer vocabulary size.',
  );
  const maskTokenId = checkTokenId(site('maskTokenId'), given.maskTokenId, {
    vocabularySize,
    tokenName: '[MASK]',
  });
  const padTokenId = checkTokenId(site('padTokenId'), given.padTokenId, {
    vocabularySize,
    tokenName: '[PAD]',
  });
  checkDistinctTokenIds(FUNCTION_NAME, { maskTokenId, padTokenId });
  const special = checkTokenIds(site('specialTokenIds'), given.specialTokenIds ?? [], {
    vocabularySize,
  });
  const reservedIds = new Set([maskTokenId, padTokenId, ...special]);
  if (reservedIds.size >= vocabularySize) {
    throw new InvalidArgumentError({
      ...site('specialTokenIds'),
      expected: 'fewer reserved ids than the vocabulary size, so that replacements can be drawn',
      received: given.specialTokenIds,
      fix: 'leave ordinary tokens out of specialTokenIds.',
    });
  }
  return {
    vocabularySize,
    maskTokenId,
    padTokenId,
    reservedIds,
    maskRatio: checkRatio(site('maskRatio'), given.maskRatio, { minExclusive: true }, 0.15),
    discriminatorWeight: checkFiniteNumber(
      site('discriminatorWeight'),
      given.discriminatorWeight,
      { min: 0 },
      'pass λ ≥ 0 (the paper uses 50).',
      50,
    ),
  };
}
