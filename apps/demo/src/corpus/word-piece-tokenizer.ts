import { normalizeText } from './normalize-text';
import { preTokenize } from './pre-tokenize';
import {
  CONTINUATION_PREFIX,
  SPACE_MARKER,
  SPECIAL_TOKENS,
  type SpecialToken,
} from './special-tokens';
import { checkWordPieceVocabulary, type WordPieceVocabulary } from './word-piece-vocabulary';

/** The result of {@link WordPieceTokenizer.encode}. */
export interface Encoding {
  /** Token ids. */
  readonly ids: Int32Array;
  /**
   * Per token, the index of the word it belongs to (words as `preTokenize` cuts them: runs of
   * letters and digits, or one punctuation character); `-1` for special tokens. Whole-word masking
   * groups tokens by it.
   */
  readonly wordIds: Int32Array;
}

/** Options of {@link WordPieceTokenizer.encode}. */
export interface EncodeOptions {
  /**
   * Recognise special tokens written in the text (`"[MASK]"` → the `[MASK]` id). Default `false`:
   * the text `[MASK]` is encoded as its characters, as any text is.
   */
  parseSpecialTokens?: boolean;
}

/** Options of {@link WordPieceTokenizer.decode}. */
export interface DecodeOptions {
  /** Leave special tokens out. Default `false`: they are written as their names, e.g. `[MASK]`. */
  skipSpecialTokens?: boolean;
}

/** A pure-TypeScript WordPiece tokenizer over a {@link WordPieceVocabulary}. */
export interface WordPieceTokenizer {
  /** Token strings by id. */
  readonly vocabulary: readonly string[];
  readonly vocabularySize: number;
  /** The id of each special token. */
  readonly specialTokenIds: Readonly<Record<SpecialToken, number>>;
  /** The id of a token string, or `undefined`. */
  idOf(token: string): number | undefined;
  /** Whether `id` is a special token. */
  isSpecial(id: number): boolean;
  /**
   * Normalises the text (`normalizeText`), cuts it into words (`preTokenize`) and each word into the
   * longest vocabulary pieces from the left (WordPiece's greedy rule): `▁piece` for a word after a
   * space (and for the first word, so a text encodes the same alone or after a space), `piece` for a
   * word glued to the previous one, `##piece` inside a word. A character the vocabulary lacks
   * becomes `[UNK]` (after a `▁` token when a space preceded it), the rest of its word is kept.
   */
  encode(text: string, options?: EncodeOptions): Encoding;
  /**
   * Joins the pieces back: `▁` becomes a space, `##` is dropped, and a leading space is removed.
   * `decode(encode(text).ids) === normalizeText(text)` for text without unknown characters.
   */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
}

/**
 * Creates a {@link WordPieceTokenizer} from the demo's vocabulary file.
 *
 * @example
 * const tokenizer = createWordPieceTokenizer(loadVocabulary());
 * const { ids, wordIds } = tokenizer.encode('Mr. Speaker, thank you.');
 * tokenizer.decode(ids); // 'Mr. Speaker, thank you.'
 */
export function createWordPieceTokenizer(vocabularyFile: WordPieceVocabulary): WordPieceTokenizer {
  const { tokens } = checkWordPieceVocabulary(vocabularyFile);
  const ids = new Map(tokens.map((token, id) => [token, id]));
  const specialTokenIds = Object.fromEntries(
    SPECIAL_TOKENS.map((token, id) => [token, id]),
  ) as Record<SpecialToken, number>;
  const unknownId = specialTokenIds['[UNK]'];
  const spaceId = ids.get(SPACE_MARKER)!;
  const longest = tokens.reduce((length, token) => Math.max(length, Array.from(token).length), 0);
  const specialPattern = new RegExp(
    `(${SPECIAL_TOKENS.map((token) => token.replace(/[[\]]/g, '\\$&')).join('|')})`,
  );

  /** Appends the pieces of one word; returns the word's characters that were unknown. */
  const encodeWord = (
    text: string,
    spaced: boolean,
    word: number,
    out: number[],
    words: number[],
  ) => {
    const characters = Array.from(text);
    let start = 0;
    while (start < characters.length) {
      const prefix = start === 0 ? (spaced ? SPACE_MARKER : '') : CONTINUATION_PREFIX;
      let end = Math.min(characters.length, start + longest);
      let id: number | undefined;
      for (; end > start; end--) {
        id = ids.get(prefix + characters.slice(start, end).join(''));
        if (id !== undefined) break;
      }
      if (id === undefined) {
        if (start === 0 && spaced) {
          out.push(spaceId);
          words.push(word);
        }
        id = unknownId;
        end = start + 1;
      }
      out.push(id);
      words.push(word);
      start = end;
    }
  };

  return {
    vocabulary: tokens,
    vocabularySize: tokens.length,
    specialTokenIds,
    idOf: (token) => ids.get(token),
    isSpecial: (id) => id >= 0 && id < SPECIAL_TOKENS.length,
    encode(text, options = {}) {
      const out: number[] = [];
      const words: number[] = [];
      let word = 0;
      const parts = options.parseSpecialTokens
        ? normalizeText(text).split(specialPattern)
        : [normalizeText(text)];
      parts.forEach((part, index) => {
        // With parseSpecialTokens, odd parts are the special tokens themselves.
        if (index % 2 === 1) {
          out.push(specialTokenIds[part as SpecialToken]);
          words.push(-1);
          return;
        }
        const pieces = preTokenize(part.trim());
        const startsSpaced = index === 0 || part.startsWith(' ');
        pieces.forEach((piece, position) => {
          encodeWord(
            piece.text,
            piece.spaceBefore || (position === 0 && startsSpaced),
            word++,
            out,
            words,
          );
        });
      });
      return { ids: Int32Array.from(out), wordIds: Int32Array.from(words) };
    },
    decode(sequence, options = {}) {
      let text = '';
      for (let index = 0; index < sequence.length; index++) {
        const id = sequence[index]!;
        const token = tokens[id];
        if (token === undefined) {
          throw new Error(
            `WordPieceTokenizer.decode: argument 'ids[${index}]' is invalid. Expected an id in [0, ${tokens.length}); received ${id}. Fix: decode ids produced with this vocabulary.`,
          );
        }
        if (id < SPECIAL_TOKENS.length) {
          if (options.skipSpecialTokens) continue;
          text += id === unknownId || text === '' ? token : ` ${token}`;
        } else if (token.startsWith(SPACE_MARKER)) text += ` ${token.slice(SPACE_MARKER.length)}`;
        else if (
          token.startsWith(CONTINUATION_PREFIX) &&
          token.length > CONTINUATION_PREFIX.length
        ) {
          text += token.slice(CONTINUATION_PREFIX.length);
        } else text += token;
      }
      return text.startsWith(' ') ? text.slice(1) : text;
    },
  };
}
