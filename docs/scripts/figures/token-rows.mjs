// Lays out token boxes left to right, wrapping to a new line when the next box would pass the
// figure's width: how the sentence figures stay readable at 390 px as well as at 1280 px.

/**
 * Positions for boxes of the given widths: `{ x, line }` per box, and the number of lines.
 * A box wider than the whole width gets a line of its own.
 */
export function wrapBoxes(widths, maxWidth, gap) {
  const positions = [];
  let x = 0;
  let lineIndex = 0;
  for (const width of widths) {
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      lineIndex += 1;
    }
    positions.push({ x, line: lineIndex });
    x += width + gap;
  }
  return { positions, lines: widths.length === 0 ? 0 : lineIndex + 1 };
}

/** Words and punctuation of an English sentence, lowercased: the figures' toy tokenizer. */
export function wordTokens(sentence) {
  return sentence.toLowerCase().match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}']/gu) ?? [];
}

/** A vocabulary of the given special tokens followed by every distinct word, sorted. */
export function buildVocabulary(specialTokens, sentences) {
  const words = [...new Set(sentences.flatMap(wordTokens))].sort();
  const tokens = [...specialTokens, ...words];
  const ids = new Map(tokens.map((token, id) => [token, id]));
  return { tokens, idOf: (token) => ids.get(token) };
}
