import type { NextSentenceLabel } from './data/next-sentence-label';

/**
 * One BERT pre-training input before padding and masking: `[CLS] A [SEP] B [SEP]`, its token
 * types and its next-sentence label. `createNextSentencePairBuilder` makes them; the objective's
 * `createBatch` (and `createBertBatch`) pads and masks them.
 */
export interface BertPairExample {
  /**
   * `[CLS] A [SEP] B [SEP]`, unpadded. The pair builder returns views into a few large buffers
   * shared by the pairs of one `build` call (one allocation per megabyte rather than per pair);
   * `.slice()` gives an independent copy.
   */
  readonly inputIds: ArrayLike<number>;
  /**
   * The token type (segment) of each token, Hugging Face's `token_type_ids`: 0 for `[CLS]`, A and
   * the first `[SEP]`; 1 for B and the final `[SEP]`. Only 0 and 1 are valid.
   */
  readonly tokenTypeIds: ArrayLike<number>;
  /** 1 = B is random (NotNext), 0 = B follows A (IsNext). See `NEXT_SENTENCE_LABEL`. */
  readonly nextSentenceLabel: NextSentenceLabel;
  /** Optional per-token word ids for whole-word masking (negative for tokens without a word). */
  readonly wordIds?: ArrayLike<number>;
}
