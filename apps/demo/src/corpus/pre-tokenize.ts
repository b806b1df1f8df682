/** A word of the text: a run of letters, marks and digits, or a single other character. */
export interface PreToken {
  readonly text: string;
  /** Whether a space precedes it in the normalised text (`false` for the first word). */
  readonly spaceBefore: boolean;
}

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

/**
 * Cuts normalised text (see `normalizeText`) into words for the tokenizer: maximal runs of letters,
 * combining marks and digits (`"freedom"`, `"104th"`), and every other non-space character on its
 * own (`","`, `"'"`, `"$"`). Each word records whether a space precedes it, which is all decoding
 * needs to restore the text. Whole-word masking masks these words.
 *
 * @example
 * preTokenize("freedom's cause.") // freedom|'|s|cause|. with spaceBefore false,false,false,true,false
 */
export function preTokenize(text: string): PreToken[] {
  const words: PreToken[] = [];
  let current = '';
  let currentSpace = false;
  let pendingSpace = false;
  const flush = () => {
    if (current !== '') words.push({ text: current, spaceBefore: currentSpace });
    current = '';
  };
  for (const character of text) {
    if (character === ' ') {
      flush();
      pendingSpace = true;
      continue;
    }
    if (WORD_CHARACTER.test(character)) {
      if (current === '') {
        currentSpace = pendingSpace;
        pendingSpace = false;
      }
      current += character;
      continue;
    }
    flush();
    words.push({ text: character, spaceBefore: pendingSpace });
    pendingSpace = false;
  }
  flush();
  return words;
}
