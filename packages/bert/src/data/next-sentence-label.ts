/**
 * The next-sentence-prediction labels. **1 means "B is random" (NotNext); 0 means "B follows A"
 * (IsNext).** The original BERT code and the Python ecosystem both use this convention; a model
 * trained with the opposite one silently learns the inverse task.
 */
export const NEXT_SENTENCE_LABEL = Object.freeze({ isNext: 0, notNext: 1 } as const);

/** One of the {@link NEXT_SENTENCE_LABEL} values. */
export type NextSentenceLabel = (typeof NEXT_SENTENCE_LABEL)[keyof typeof NEXT_SENTENCE_LABEL];
