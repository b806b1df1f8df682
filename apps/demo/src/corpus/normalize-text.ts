/**
 * The one normalisation the tokenizer applies: Unicode NFC, every run of whitespace (spaces, tabs,
 * newlines, no-break spaces, …) replaced by one space, and no space at either end. Decoding returns
 * this normalised text exactly: `decode(encode(text)) === normalizeText(text)` for any text whose
 * characters are all in the vocabulary.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}
