// The corpus and tokenizer for the browser. `src/corpus/node.ts` reads them with `node:fs`; here
// Vite bundles the committed JSON files into the worker chunk instead, and the browser-safe
// corpus entry builds the tokenizer from them.
import corpusFile from '../../corpus/sotu.json';
import vocabularyFile from '../../corpus/vocabulary.json';
import {
  type Corpus,
  checkWordPieceVocabulary,
  createWordPieceTokenizer,
  type WordPieceTokenizer,
} from '../corpus/index';

let cached: { readonly corpus: Corpus; readonly tokenizer: WordPieceTokenizer } | undefined;

/** The demo corpus and its WordPiece tokenizer, built once per worker. */
export function demoData(): { readonly corpus: Corpus; readonly tokenizer: WordPieceTokenizer } {
  if (cached) return cached;
  const corpus = corpusFile as unknown as Corpus;
  if (corpus.format !== 'lm-objectives-demo-corpus-v1' || !Array.isArray(corpus.documents)) {
    throw new Error(
      'demoData: the bundled corpus/sotu.json is not a demo corpus file. Fix: rebuild it with `pnpm --filter @lm-objectives/demo corpus:build`.',
    );
  }
  cached = {
    corpus,
    tokenizer: createWordPieceTokenizer(checkWordPieceVocabulary(vocabularyFile)),
  };
  return cached;
}
