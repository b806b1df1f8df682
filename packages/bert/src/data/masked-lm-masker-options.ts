import {
  type ArgumentSite,
  checkDistinctTokenIds,
  checkInteger,
  checkOneOf,
  checkOptionsObject,
  checkPositiveInteger,
  checkProbability,
  checkRatio,
  checkTokenId,
  checkTokenIds,
  InvalidArgumentError,
} from '@lm-objectives/core';
import { checkRenamedOptions } from '../internal/check-renamed-options';
import type { MaskedLmSelection } from './masked-lm-selection-count';

/** Whether the 80/10/10 choice is made once per whole word or once per sub-token. */
export type MaskedLmReplacement =
  /** One choice per word: a word is all `[MASK]`, all random or all kept (the fix; default). */
  | 'per-word'
  /** One choice per sub-token, as the original whole-word generator did (parity; can mix within a word). */
  | 'per-token';

/** Where random replacement tokens come from. */
export type RandomTokenPool =
  /** Every id except the special ones, `maskTokenId` and `padTokenId` (default). */
  | 'non-special'
  /** The whole vocabulary, special tokens included, as the original generator did (parity). */
  | 'vocabulary'
  /** Exactly these ids. */
  | readonly number[]
  | Int32Array;

/** Options of `createMaskedLmMasker`. */
export interface MaskedLmMaskerOptions {
  /** $V$: token ids are in $[0, V)$. */
  vocabularySize: number;
  /** The id of `[MASK]`. */
  maskTokenId: number;
  /**
   * Ids that are never selected: list `[CLS]`, `[SEP]` and any other special token here. Default
   * none besides `padTokenId`. (The original skipped exactly `[CLS]` and `[SEP]`.)
   */
  specialTokenIds?: readonly number[] | Int32Array;
  /**
   * The id of `[PAD]`: positions holding it are padding — never selected and not counted in the
   * sequence length $n$ of `'exact-round'`. An `attentionMask` given to `mask` takes precedence.
   */
  padTokenId?: number;
  /** $r$, the share of each row's tokens to predict. Default 0.15. */
  selectionRatio?: number;
  /**
   * $P$, the most predictions per sequence and the width of the gathered outputs. Default: for
   * the exact policies $\max(1, \lceil L \cdot r \rceil)$ for sequences of length $L$ (20 at 128, 77
   * at 512), which never truncates; for `'bernoulli'`, no cap, and the width is the largest count in
   * the batch. With a cap, a Bernoulli draw that selects more keeps a uniformly random subset.
   */
  maxPredictions?: number;
  /** Absolute probability that a selected token becomes `[MASK]`. Default 0.8. */
  maskTokenProbability?: number;
  /**
   * Absolute probability that a selected token becomes a random token (default 0.1); the rest,
   * $1 - $ `maskTokenProbability` $-$ `randomTokenProbability`, keep their token. These are
   * absolute: the Python collator's "0.5" is conditional on not masking, i.e. 0.1 absolute.
   */
  randomTokenProbability?: number;
  /** The selection policy. Default `'exact-round'` (the original). */
  selection?: MaskedLmSelection;
  /** With whole words, one 80/10/10 choice per word or per sub-token. Default `'per-word'`. */
  replacement?: MaskedLmReplacement;
  /** Where random replacements come from. Default `'non-special'`; `'vocabulary'` for parity. */
  randomTokenPool?: RandomTokenPool;
  /**
   * Whole-word masking from token ids alone: ids of continuation pieces (WordPiece `##…`), each of
   * which joins the word of the token before it, as the original generator decided. Per-token
   * `wordIds` given to `mask` take precedence. Default none (every token is its own word).
   */
  continuationTokenIds?: readonly number[] | Int32Array;
}

/** {@link MaskedLmMaskerOptions} with every default filled in. */
export interface ResolvedMaskedLmMaskerOptions {
  readonly vocabularySize: number;
  readonly maskTokenId: number;
  readonly specialTokenIds: Int32Array;
  readonly padTokenId: number | undefined;
  readonly selectionRatio: number;
  readonly maxPredictions: number | undefined;
  readonly maskTokenProbability: number;
  readonly randomTokenProbability: number;
  readonly selection: MaskedLmSelection;
  readonly replacement: MaskedLmReplacement;
  /** The ids random replacements are drawn from (every id in $[0, V)$ for `'vocabulary'`). */
  readonly randomTokenPool: Int32Array;
  readonly continuationTokenIds: Int32Array;
}

/** The option names of {@link MaskedLmMaskerOptions}. */
export const MASKED_LM_MASKER_OPTION_KEYS = [
  'vocabularySize',
  'maskTokenId',
  'specialTokenIds',
  'padTokenId',
  'selectionRatio',
  'maxPredictions',
  'maskTokenProbability',
  'randomTokenProbability',
  'selection',
  'replacement',
  'randomTokenPool',
  'continuationTokenIds',
] as const;

/** The masker's option names before 0.1 and their replacements. */
export const RENAMED_MASKER_OPTIONS: Readonly<Record<string, string>> = Object.freeze({
  unselectableTokenIds: 'specialTokenIds',
  selectionRate: 'selectionRatio',
  maskTokenRate: 'maskTokenProbability',
  randomTokenRate: 'randomTokenProbability',
});

/**
 * Validates masker options and fills in the defaults.
 *
 * @param options the masker options.
 * @param site where they come from, for the errors (default `createMaskedLmMasker`'s `options`).
 * @throws {InvalidArgumentError} for unknown keys (suggesting the closest name), ids outside the
 *   vocabulary, `maskTokenId` = `padTokenId`, probabilities outside [0, 1] or summing above 1,
 *   unknown policies, or an empty random pool.
 */
export function resolveMaskedLmMaskerOptions(
  options: MaskedLmMaskerOptions,
  site: ArgumentSite = { functionName: 'createMaskedLmMasker', argumentName: 'options' },
): ResolvedMaskedLmMaskerOptions {
  checkRenamedOptions(site, options, RENAMED_MASKER_OPTIONS);
  const given = checkOptionsObject(site, options, {
    required: ['vocabularySize', 'maskTokenId'],
    allowed: MASKED_LM_MASKER_OPTION_KEYS,
  });
  const at = (name: string) => ({ ...site, argumentName: `${site.argumentName}.${name}` });
  const vocabularySize = checkInteger(
    at('vocabularySize'),
    given['vocabularySize'],
    { min: 2, max: 2 ** 31 - 1 },
    'pass the tokenizer vocabulary size (ids are in [0, vocabularySize)).',
  );
  const maskTokenId = checkTokenId(at('maskTokenId'), given['maskTokenId'], {
    vocabularySize,
    tokenName: '[MASK]',
  });
  const padTokenId =
    given['padTokenId'] === undefined
      ? undefined
      : checkTokenId(at('padTokenId'), given['padTokenId'], { vocabularySize, tokenName: '[PAD]' });
  checkDistinctTokenIds(site.functionName, { maskTokenId, padTokenId });
  const specialTokenIds = checkTokenIds(at('specialTokenIds'), given['specialTokenIds'] ?? [], {
    vocabularySize,
  });
  const continuationTokenIds = checkTokenIds(
    at('continuationTokenIds'),
    given['continuationTokenIds'] ?? [],
    { vocabularySize },
  );
  const maskTokenProbability = checkProbability(
    at('maskTokenProbability'),
    given['maskTokenProbability'],
    0.8,
  );
  const randomTokenProbability = checkProbability(
    at('randomTokenProbability'),
    given['randomTokenProbability'],
    0.1,
  );
  if (maskTokenProbability + randomTokenProbability > 1 + 1e-12) {
    throw new InvalidArgumentError({
      ...at('randomTokenProbability'),
      expected: `maskTokenProbability + randomTokenProbability ≤ 1 (maskTokenProbability is ${maskTokenProbability})`,
      received: randomTokenProbability,
      fix: 'give both as absolute probabilities: 0.8 and 0.1 leave 0.1 for keeping the token (not 0.5, the conditional probability of the Python collator).',
    });
  }
  const randomTokenPool = resolvePool(
    at('randomTokenPool'),
    given['randomTokenPool'],
    vocabularySize,
    [...specialTokenIds, maskTokenId, ...(padTokenId === undefined ? [] : [padTokenId])],
    randomTokenProbability,
  );
  return Object.freeze({
    vocabularySize,
    maskTokenId,
    specialTokenIds,
    padTokenId,
    selectionRatio: checkRatio(at('selectionRatio'), given['selectionRatio'], {}, 0.15),
    maxPredictions:
      given['maxPredictions'] === undefined
        ? undefined
        : checkPositiveInteger(
            at('maxPredictions'),
            given['maxPredictions'],
            'pass a positive integer, about maxLength · selectionRatio (20 at 128, 76–80 at 512).',
          ),
    maskTokenProbability,
    randomTokenProbability,
    selection: checkOneOf(
      at('selection'),
      given['selection'],
      ['exact-round', 'exact-ceil', 'bernoulli'] as const,
      'exact-round',
    ),
    replacement: checkOneOf(
      at('replacement'),
      given['replacement'],
      ['per-word', 'per-token'] as const,
      'per-word',
    ),
    randomTokenPool,
    continuationTokenIds,
  });
}

/** The ids random replacements are drawn from, for the pool option and the special ids. */
function resolvePool(
  site: ArgumentSite,
  pool: unknown,
  vocabularySize: number,
  specialIds: readonly number[],
  randomTokenProbability: number,
): Int32Array {
  let ids: Int32Array;
  if (pool === undefined || pool === 'non-special') {
    const special = new Uint8Array(vocabularySize);
    for (const id of specialIds) special[id] = 1;
    ids = new Int32Array(vocabularySize - special.reduce((total, flag) => total + flag, 0));
    let next = 0;
    for (let id = 0; id < vocabularySize; id++) if (special[id] === 0) ids[next++] = id;
  } else if (pool === 'vocabulary') {
    ids = new Int32Array(vocabularySize);
    for (let id = 0; id < vocabularySize; id++) ids[id] = id;
  } else if (typeof pool === 'string') {
    throw new InvalidArgumentError({
      ...site,
      expected: "'non-special', 'vocabulary' or a list of token ids",
      received: pool,
      fix: "pass 'non-special' (default), 'vocabulary' (the original's parity) or explicit ids.",
    });
  } else {
    ids = checkTokenIds(site, pool, { vocabularySize });
  }
  if (ids.length === 0 && randomTokenProbability > 0) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'at least one id to draw random replacements from',
      received: pool,
      receivedDescription: 'an empty pool',
      fix: 'list some ids, or set randomTokenProbability to 0.',
    });
  }
  return ids;
}
