import { normalizeText } from './normalize-text';
import { preTokenize } from './pre-tokenize';
import { CONTINUATION_PREFIX, SPACE_MARKER, SPECIAL_TOKENS } from './special-tokens';
import type { WordPieceVocabulary } from './word-piece-vocabulary';

/** Options of {@link trainWordPiece}. */
export interface TrainWordPieceOptions {
  /** Total tokens, special tokens and the alphabet included. */
  vocabularySize: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minPairFrequency?: number;
}

/**
 * Trains a WordPiece vocabulary the way WordPiece vocabularies are usually built: by byte-pair-style
 * merges. Each word of the texts (see `preTokenize`) starts as its characters — the first one marked
 * `▁c` after a space or bare `c` otherwise, the rest `##c` — and the most frequent adjacent pair
 * within words is merged into one token, again and again, until the vocabulary has
 * `vocabularySize` tokens. Ties go to the pair whose text sorts first, so training is
 * deterministic. Every character of the texts is in the vocabulary in all three forms, so the
 * corpus itself never needs `[UNK]`.
 *
 * @returns the vocabulary: special tokens, `▁`, the alphabet, then the merged tokens in merge order.
 */
export function trainWordPiece(
  texts: Iterable<string>,
  options: TrainWordPieceOptions,
): WordPieceVocabulary {
  const minPairFrequency = options.minPairFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  for (const text of texts) {
    preTokenize(normalizeText(text)).forEach((word, index) => {
      // The first word of a text counts as spaced: texts are encoded that way (see the tokenizer).
      const key = (word.spaceBefore || index === 0 ? SPACE_MARKER : ' ') + word.text;
      wordCounts.set(key, (wordCounts.get(key) ?? 0) + 1);
    });
  }
  const alphabet = new Set<string>();
  const words: { symbols: string[]; count: number }[] = [];
  for (const [key, count] of wordCounts) {
    const spaced = key.startsWith(SPACE_MARKER);
    const characters = Array.from(key.slice(1));
    for (const character of characters) alphabet.add(character);
    words.push({
      symbols: characters.map((character, index) =>
        index === 0 ? (spaced ? SPACE_MARKER : '') + character : CONTINUATION_PREFIX + character,
      ),
      count,
    });
  }
  alphabet.delete(SPACE_MARKER);
  const tokens: string[] = [...SPECIAL_TOKENS, SPACE_MARKER];
  for (const character of [...alphabet].sort()) {
    tokens.push(character, SPACE_MARKER + character, CONTINUATION_PREFIX + character);
  }
  const known = new Set(tokens);
  while (tokens.length < options.vocabularySize) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let index = 0; index + 1 < symbols.length; index++) {
        const pair = `${symbols[index]} ${symbols[index + 1]}`;
        pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = minPairFrequency - 1;
    for (const [pair, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && best !== null && pair < best)) {
        best = pair;
        bestCount = count;
      }
    }
    if (best === null) break;
    const [left, right] = best.split(' ') as [string, string];
    const merged = left + right.slice(CONTINUATION_PREFIX.length);
    for (const word of words) {
      const { symbols } = word;
      for (let index = 0; index + 1 < symbols.length; index++) {
        if (symbols[index] === left && symbols[index + 1] === right)
          symbols.splice(index, 2, merged);
      }
    }
    if (!known.has(merged)) {
      known.add(merged);
      tokens.push(merged);
    }
  }
  return {
    format: 'lm-objectives-demo-wordpiece-v1',
    spaceMarker: SPACE_MARKER,
    continuationPrefix: CONTINUATION_PREFIX,
    specialTokens: [...SPECIAL_TOKENS],
    tokens,
  };
}
