/**
 * The special tokens, in id order (ids 0–9 of every vocabulary this demo trains):
 *
 * - `[PAD]` padding; `[UNK]` a character the vocabulary lacks;
 * - `[CLS]`, `[SEP]`, `[MASK]` for BERT (`[CLS] A [SEP] B [SEP]`, masked-LM);
 * - `[sMASK]` (a blanked sentence), `[gMASK]` (a blanked document suffix), `[sop]`/`[eop]` (start
 *   and end of a blank's infilled span) for GLM — GLM's token-span blanks use `[MASK]`;
 * - `[EOS]` the end of a completion (LoRA's conditional objective).
 */
export const SPECIAL_TOKENS = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  '[sMASK]',
  '[gMASK]',
  '[sop]',
  '[eop]',
  '[EOS]',
] as const;

/** One of {@link SPECIAL_TOKENS}. */
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

/** Marks a word-initial piece that follows a space: `▁the` is " the". */
export const SPACE_MARKER = '\u2581';

/** Marks a piece that continues the previous piece's word (WordPiece's convention): `##ing`. */
export const CONTINUATION_PREFIX = '##';
