import { CONTINUATION_PREFIX, SPACE_MARKER, SPECIAL_TOKENS } from './special-tokens';

/** The vocabulary file the demo ships (`corpus/vocabulary.json`): token strings in id order. */
export interface WordPieceVocabulary {
  readonly format: 'lm-objectives-demo-wordpiece-v1';
  /** Marks a word-initial piece after a space (`▁the`). */
  readonly spaceMarker: string;
  /** Marks a word-internal piece (`##ing`). */
  readonly continuationPrefix: string;
  /** The special tokens; they are `tokens[0 … specialTokens.length − 1]`. */
  readonly specialTokens: readonly string[];
  /** Every token; its index is its id. */
  readonly tokens: readonly string[];
}

/** Throws unless `value` is a well-formed {@link WordPieceVocabulary} (unique tokens, special tokens first). */
export function checkWordPieceVocabulary(value: unknown): WordPieceVocabulary {
  const vocabulary = value as Partial<WordPieceVocabulary> | null;
  const problem = (() => {
    if (vocabulary == null || typeof vocabulary !== 'object') return 'it is not an object';
    if (vocabulary.format !== 'lm-objectives-demo-wordpiece-v1')
      return `its format is ${JSON.stringify(vocabulary.format)}`;
    if (
      vocabulary.spaceMarker !== SPACE_MARKER ||
      vocabulary.continuationPrefix !== CONTINUATION_PREFIX
    ) {
      return 'its markers differ from ▁ and ##';
    }
    if (
      !Array.isArray(vocabulary.tokens) ||
      !vocabulary.tokens.every((token) => typeof token === 'string' && token !== '')
    ) {
      return 'its tokens are not a list of non-empty strings';
    }
    if (new Set(vocabulary.tokens).size !== vocabulary.tokens.length)
      return 'it lists a token twice';
    if (
      !Array.isArray(vocabulary.specialTokens) ||
      SPECIAL_TOKENS.some(
        (token, id) => vocabulary.specialTokens![id] !== token || vocabulary.tokens![id] !== token,
      )
    ) {
      return `its first tokens are not the special tokens ${SPECIAL_TOKENS.join(' ')}`;
    }
    return null;
  })();
  if (problem !== null) {
    throw new Error(
      `checkWordPieceVocabulary: the vocabulary is invalid: ${problem}. Fix: rebuild it with \`pnpm --filter @lm-objectives/demo corpus:build\`.`,
    );
  }
  return vocabulary as WordPieceVocabulary;
}
