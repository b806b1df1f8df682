import { checkNumberInRange, checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';

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
  /** Share of each row's ordinary tokens to mask (rounded, at least one). Default 0.15 (the paper's). */
  readonly maskRate?: number;
  /** $\lambda$, the weight of the discriminator loss: $L = L_{\mathrm{MLM}} + \lambda L_{\mathrm{Disc}}$. Default 50 (the paper's). */
  readonly discriminatorWeight?: number;
}

/** {@link ElectraObjectiveOptions} with every default filled in. */
export interface ResolvedElectraOptions {
  readonly vocabularySize: number;
  readonly maskTokenId: number;
  readonly padTokenId: number;
  /** `[MASK]`, `[PAD]` and the special ids: never masked, never proposed. */
  readonly reservedIds: ReadonlySet<number>;
  readonly maskRate: number;
  readonly discriminatorWeight: number;
}

const FUNCTION_NAME = 'createElectraObjective';

/** Checks the options and fills in the defaults, with typed errors naming the option. */
export function resolveElectraOptions(options: ElectraObjectiveOptions): ResolvedElectraOptions {
  if (options == null || typeof options !== 'object') {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options',
      expected: '{ vocabularySize, maskTokenId, padTokenId, … }',
      received: options,
      fix: 'pass the vocabulary size and the [MASK] and [PAD] ids.',
    });
  }
  checkOptionKeys(FUNCTION_NAME, options, [
    'vocabularySize',
    'maskTokenId',
    'padTokenId',
    'specialTokenIds',
    'maskRate',
    'discriminatorWeight',
  ]);
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `options.${name}` });
  const vocabularySize = checkNumberInRange(
    site('vocabularySize'),
    options.vocabularySize,
    { min: 3, max: 2 ** 31 - 1, integer: true },
    'pass the tokenizer vocabulary size.',
  );
  const tokenId = (name: string, value: unknown) =>
    checkNumberInRange(
      site(name),
      value,
      { min: 0, max: vocabularySize - 1, integer: true },
      'pass an id of the vocabulary.',
    );
  const maskTokenId = tokenId('maskTokenId', options.maskTokenId);
  const padTokenId = tokenId('padTokenId', options.padTokenId);
  const special = options.specialTokenIds ?? [];
  if (!Array.isArray(special)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.specialTokenIds',
      expected: 'an array of token ids',
      received: special,
      fix: 'list the ids of [CLS], [SEP], … e.g. [101, 102].',
    });
  }
  const reservedIds = new Set([
    maskTokenId,
    padTokenId,
    ...special.map((id, index) => tokenId(`specialTokenIds[${index}]`, id)),
  ]);
  if (reservedIds.size >= vocabularySize) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.specialTokenIds',
      expected: 'fewer reserved ids than the vocabulary size, so that replacements can be drawn',
      received: special,
      fix: 'leave ordinary tokens out of specialTokenIds.',
    });
  }
  return {
    vocabularySize,
    maskTokenId,
    padTokenId,
    reservedIds,
    maskRate: checkNumberInRange(
      site('maskRate'),
      options.maskRate ?? 0.15,
      { min: 0, max: 1, minExclusive: true },
      'pass a share in (0, 1], e.g. 0.15.',
    ),
    discriminatorWeight: checkNumberInRange(
      site('discriminatorWeight'),
      options.discriminatorWeight ?? 50,
      { min: 0 },
      'pass λ ≥ 0 (the paper uses 50).',
    ),
  };
}
