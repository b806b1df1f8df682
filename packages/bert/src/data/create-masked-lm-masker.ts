import { InvalidArgumentError, type RandomSource } from '@lm-objectives/core';
import {
  checkChoice,
  checkKnownKeys,
  checkNumber,
  checkTokenId,
  optionalProbability,
  toIdArray,
} from '../internal/check-arguments';
import { createMaskerTables, MaskerScratch, maskBatch } from './internal/mask-batch';
import type { MaskedLmSelection } from './masked-lm-selection-count';

/** Whether the 80/10/10 choice is made once per whole word or once per sub-token. */
export type MaskedLmReplacement =
  /** One choice per word: a word is all `[MASK]`, all random or all kept (the fix; default). */
  | 'per-word'
  /** One choice per sub-token, as the original whole-word generator did (parity; can mix within a word). */
  | 'per-token';

/** Where random replacement tokens come from. */
export type RandomTokenPool =
  /** Every id except the unselectable ones, `maskTokenId` and `padTokenId` (default). */
  | 'non-special'
  /** The whole vocabulary, special tokens included, as the original generator did (parity). */
  | 'vocabulary'
  /** Exactly these ids. */
  | readonly number[]
  | Int32Array;

/** Options of {@link createMaskedLmMasker}. */
export interface MaskedLmMaskerOptions {
  /** $V$: token ids are in $[0, V)$. */
  vocabularySize: number;
  /** The id of `[MASK]`. */
  maskTokenId: number;
  /**
   * Ids that are never selected: list `[CLS]`, `[SEP]` and any other special token here. Default
   * none besides `padTokenId`. (The original skipped exactly `[CLS]` and `[SEP]`.)
   */
  unselectableTokenIds?: readonly number[] | Int32Array;
  /**
   * The id of `[PAD]`: positions holding it are padding — never selected and not counted in the
   * sequence length $n$ of `'exact-round'`. An `attentionMask` given to `mask` takes precedence.
   */
  padTokenId?: number;
  /** $r$, the share of tokens to predict. Default 0.15. */
  selectionRate?: number;
  /**
   * $P$, the most predictions per sequence and the width of the gathered outputs. Default: for
   * the exact policies $\max(1, \lceil L \cdot r \rceil)$ for sequences of length $L$ (20 at 128, 77
   * at 512), which never truncates; for `'bernoulli'`, no cap, and the width is the largest count in
   * the batch. With a cap, a Bernoulli draw that selects more keeps a uniformly random subset.
   */
  maxPredictions?: number;
  /** Absolute probability that a selected token becomes `[MASK]`. Default 0.8. */
  maskTokenRate?: number;
  /**
   * Absolute probability that a selected token becomes a random token (default 0.1); the rest,
   * $1 - $ `maskTokenRate` $-$ `randomTokenRate`, keep their token. These are absolute rates: the
   * Python collator's "0.5" is conditional on not masking, i.e. 0.1 absolute.
   */
  randomTokenRate?: number;
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
  readonly unselectableTokenIds: Int32Array;
  readonly padTokenId: number | undefined;
  readonly selectionRate: number;
  readonly maxPredictions: number | undefined;
  readonly maskTokenRate: number;
  readonly randomTokenRate: number;
  readonly selection: MaskedLmSelection;
  readonly replacement: MaskedLmReplacement;
  /** The ids random replacements are drawn from (every id in $[0, V)$ for `'vocabulary'`). */
  readonly randomTokenPool: Int32Array;
  readonly continuationTokenIds: Int32Array;
}

/** One call's input: a batch of token-id rows, row-major. */
export interface MaskedLmInput {
  /** Token ids `[B, L]` row-major (or one row). Never modified. */
  readonly inputIds: Int32Array | readonly number[];
  /** `[B, L]`; default `[1, inputIds.length]`. */
  readonly shape?: readonly [number, number];
  /**
   * Whole-word masking: per token the index of its word (like the tokenizers' `word_ids()`), and
   * a negative value for tokens without a word. A word is a run of consecutive tokens with the same
   * non-negative id, so ids restarting in the second sentence of a pair are fine.
   */
  readonly wordIds?: Int32Array | readonly number[];
  /** `[B, L]`: 1 for a real token, 0 for padding (never selected, not counted). */
  readonly attentionMask?: Uint8Array | Int32Array | readonly number[];
}

/** What {@link MaskedLmMasker.mask} returns: the dense and the gathered forms, and the actions. */
export interface MaskedLmResult {
  /** `[B, L]`. */
  readonly shape: readonly [number, number];
  /** $P$, the width of the gathered arrays. */
  readonly maxPredictions: number;
  /** `[B, L]`: the corrupted ids (`[MASK]`, random or kept at selected positions). A new array. */
  readonly inputIds: Int32Array;
  /** `[B, L]`: the original id at selected positions, −100 elsewhere (dense form). */
  readonly labels: Int32Array;
  /** `[B, L]`: a {@link MASK_ACTION} code per position. */
  readonly actions: Uint8Array;
  /** `[B, P]`: selected positions in increasing order, padded with 0. */
  readonly maskedPositions: Int32Array;
  /** `[B, P]`: the original ids at `maskedPositions`, padded with 0. */
  readonly maskedIds: Int32Array;
  /** `[B, P]`: 1 for a real prediction, 0 for a padded slot. */
  readonly maskedWeights: Float32Array;
  /** `[B]`: predictions per row. */
  readonly predictionCounts: Int32Array;
  /** Predictions in the whole batch (the masked-LM part's `count`). */
  readonly totalPredictions: number;
}

/** A configured masked-LM masker (see {@link createMaskedLmMasker}). */
export interface MaskedLmMasker {
  /** The validated options with defaults. */
  readonly options: ResolvedMaskedLmMaskerOptions;
  /**
   * Selects and corrupts positions of every row, drawing every choice from `random`.
   *
   * @throws {InvalidArgumentError} for ids outside $[0, V)$ or badly typed inputs;
   *   `ShapeMismatchError` (from `@lm-objectives/core`) when `shape`, `wordIds` or `attentionMask` do not fit `inputIds`.
   */
  mask(input: MaskedLmInput, random: RandomSource): MaskedLmResult;
}

const FUNCTION_NAME = 'createMaskedLmMasker';
/** The option names of {@link MaskedLmMaskerOptions}. */
export const MASKED_LM_MASKER_OPTION_KEYS = [
  'vocabularySize',
  'maskTokenId',
  'unselectableTokenIds',
  'padTokenId',
  'selectionRate',
  'maxPredictions',
  'maskTokenRate',
  'randomTokenRate',
  'selection',
  'replacement',
  'randomTokenPool',
  'continuationTokenIds',
] as const;

/** Validates masker options and fills in the defaults. */
export function resolveMaskedLmMaskerOptions(
  options: MaskedLmMaskerOptions,
  functionName = FUNCTION_NAME,
): ResolvedMaskedLmMaskerOptions {
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const given = checkKnownKeys(
    { functionName, argumentName: 'options' },
    options,
    MASKED_LM_MASKER_OPTION_KEYS,
  ) as Partial<MaskedLmMaskerOptions>;
  const vocabularySize = checkNumber(
    site('vocabularySize'),
    given.vocabularySize,
    { min: 2, max: 2 ** 31 - 1, integer: true },
    'pass the tokenizer vocabulary size (ids are in [0, vocabularySize)).',
  );
  const maskTokenId = checkTokenId(
    site('maskTokenId'),
    given.maskTokenId,
    vocabularySize,
    '[MASK]',
  );
  const padTokenId =
    given.padTokenId === undefined
      ? undefined
      : checkTokenId(site('padTokenId'), given.padTokenId, vocabularySize, '[PAD]');
  const unselectableTokenIds = toIdArray(
    site('unselectableTokenIds'),
    given.unselectableTokenIds ?? [],
    vocabularySize,
    'token ids that are never selected',
    'list the ids of [CLS], [SEP] and other special tokens.',
  );
  const continuationTokenIds = toIdArray(
    site('continuationTokenIds'),
    given.continuationTokenIds ?? [],
    vocabularySize,
    'ids of continuation pieces (WordPiece ##…)',
    'list the ids whose token starts with ## (see continuationTokenIdsFromVocabulary).',
  );
  const rate = (name: 'selectionRate' | 'maskTokenRate' | 'randomTokenRate', fallback: number) =>
    optionalProbability(site(name), given[name], fallback);
  const selectionRate = rate('selectionRate', 0.15);
  const maskTokenRate = rate('maskTokenRate', 0.8);
  const randomTokenRate = rate('randomTokenRate', 0.1);
  if (maskTokenRate + randomTokenRate > 1 + 1e-12) {
    throw new InvalidArgumentError({
      ...site('randomTokenRate'),
      expected: `maskTokenRate + randomTokenRate ≤ 1 (maskTokenRate is ${maskTokenRate})`,
      received: randomTokenRate,
      fix: 'give both as absolute rates: 0.8 and 0.1 leave 0.1 for keeping the token (not 0.5, the conditional rate of the Python collator).',
    });
  }
  const maxPredictions =
    given.maxPredictions === undefined
      ? undefined
      : checkNumber(
          site('maxPredictions'),
          given.maxPredictions,
          { min: 1, max: 2 ** 31 - 1, integer: true },
          'pass a positive integer, about sequenceLength · selectionRate (20 at 128, 76–80 at 512).',
        );
  const selection = checkChoice(
    site('selection'),
    given.selection,
    ['exact-round', 'exact-ceil', 'bernoulli'] as const,
    'exact-round',
  );
  const replacement = checkChoice(
    site('replacement'),
    given.replacement,
    ['per-word', 'per-token'] as const,
    'per-word',
  );
  const randomTokenPool = resolvePool(
    functionName,
    given.randomTokenPool,
    vocabularySize,
    [...unselectableTokenIds, maskTokenId, ...(padTokenId === undefined ? [] : [padTokenId])],
    randomTokenRate,
  );
  return Object.freeze({
    vocabularySize,
    maskTokenId,
    unselectableTokenIds,
    padTokenId,
    selectionRate,
    maxPredictions,
    maskTokenRate,
    randomTokenRate,
    selection,
    replacement,
    randomTokenPool,
    continuationTokenIds,
  });
}

function resolvePool(
  functionName: string,
  pool: unknown,
  vocabularySize: number,
  specialIds: readonly number[],
  randomTokenRate: number,
): Int32Array {
  const site = { functionName, argumentName: 'options.randomTokenPool' };
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
    ids = toIdArray(
      site,
      pool,
      vocabularySize,
      'token ids to draw random replacements from',
      'pass a non-empty list of ids in the vocabulary.',
    );
  }
  if (ids.length === 0 && randomTokenRate > 0) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'at least one id to draw random replacements from',
      received: pool,
      receivedDescription: 'an empty pool',
      fix: 'list some ids, or set randomTokenRate to 0.',
    });
  }
  return ids;
}

/**
 * Creates a masked-LM masker: for each sequence it selects positions to predict (by one of the
 * three policies, optionally whole words only), replaces each selected token by `[MASK]` with
 * probability `maskTokenRate`, by a random token with probability `randomTokenRate`, and keeps it
 * otherwise, and returns both the dense labels and the gathered form a gather-first head needs.
 *
 * Whole words: the positions are grouped into words (from `wordIds`, or `continuationTokenIds`),
 * words are visited in a random order and a word is taken only if it fits the remaining budget;
 * a word is never split.
 *
 * @example
 * const masker = createMaskedLmMasker({
 *   vocabularySize: 30522, maskTokenId: 103, padTokenId: 0, unselectableTokenIds: [101, 102],
 * });
 * const { inputIds, labels, maskedPositions } = masker.mask({ inputIds: ids, shape: [16, 128] }, createRng(1));
 * @throws {InvalidArgumentError} for invalid options (unknown keys, ids outside the vocabulary,
 *   rates outside [0, 1] or summing above 1, unknown policies, an empty random pool).
 */
export function createMaskedLmMasker(options: MaskedLmMaskerOptions): MaskedLmMasker {
  const resolved = resolveMaskedLmMaskerOptions(options);
  const tables = createMaskerTables(resolved);
  const scratch = new MaskerScratch();
  return Object.freeze({
    options: resolved,
    mask: (input: MaskedLmInput, random: RandomSource) =>
      maskBatch(resolved, tables, scratch, input, random),
  });
}
