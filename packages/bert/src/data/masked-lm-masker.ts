import type { RandomSource } from '@lm-objectives/core';
import type { ResolvedMaskedLmMaskerOptions } from './masked-lm-masker-options';

/** One call's input: a batch of token-id rows, row-major. */
export interface MaskedLmInput {
  /** Token ids `[B, L]` row-major (or one row). Never modified. */
  readonly inputIds: ArrayLike<number>;
  /** `[B, L]`; default `[1, inputIds.length]`. */
  readonly shape?: readonly [number, number];
  /**
   * Whole-word masking: per token the index of its word (like the tokenizers' `word_ids()`), and
   * a negative value for tokens without a word. A word is a run of consecutive tokens with the same
   * non-negative id, so ids restarting in the second sentence of a pair are fine.
   */
  readonly wordIds?: ArrayLike<number>;
  /** `[B, L]`: 1 for a real token, 0 for padding (never selected, not counted). Only 0 and 1. */
  readonly attentionMask?: ArrayLike<number>;
}

/**
 * What {@link MaskedLmMasker.mask} returns: the dense form, the gathered form, the flat scored
 * positions a loss reads, and the actions.
 */
export interface MaskedLmResult {
  /** `[B, L]`. */
  readonly shape: readonly [number, number];
  /** $P$, the width of the gathered arrays. */
  readonly maxPredictions: number;
  /** `[B, L]`: the corrupted ids (`[MASK]`, random or kept at selected positions). A new array. */
  readonly inputIds: Int32Array;
  /** `[B, L]`: the original id at selected positions, −100 elsewhere (dense form). */
  readonly labels: Int32Array;
  /** `[B, L]`: a `MASK_ACTION` code per position. */
  readonly actions: Uint8Array;
  /** `[B, P]`: selected positions in increasing order, padded with 0. */
  readonly maskedPositions: Int32Array;
  /** `[B, P]`: the original ids at `maskedPositions`, padded with 0. */
  readonly maskedIds: Int32Array;
  /** `[B, P]`: 1 for a real prediction, 0 for a padded slot. */
  readonly maskedWeights: Float32Array;
  /**
   * `[scored]`: every selected position as a flat index $b \cdot L + t$ into the `[B, L]` rows,
   * row by row in increasing order (what a loss gathers; no padded slots).
   */
  readonly scoredPositions: Int32Array;
  /** `[scored]`: the original id at each of `scoredPositions` (what the loss predicts there). */
  readonly scoredLabels: Int32Array;
  /** `[B]`: predictions per row. */
  readonly predictionCounts: Int32Array;
  /** Predictions in the whole batch (the masked-LM part's `count`, the size of `scoredPositions`). */
  readonly totalPredictions: number;
}

/** A configured masked-LM masker (see `createMaskedLmMasker`). */
export interface MaskedLmMasker {
  /** The validated options with defaults. */
  readonly options: ResolvedMaskedLmMaskerOptions;
  /**
   * Selects and corrupts positions of every row, drawing every choice from `random`.
   *
   * @throws {InvalidArgumentError} for ids outside $[0, V)$, an attention mask value other than 0
   *   or 1, or badly typed inputs; `ShapeMismatchError` (from `@lm-objectives/core`) when `shape`,
   *   `wordIds` or `attentionMask` do not fit `inputIds`.
   */
  mask(input: MaskedLmInput, random: RandomSource): MaskedLmResult;
}
