import { readFileSync } from 'node:fs';
import type { Corpus } from './corpus';
import { createWordPieceTokenizer, type WordPieceTokenizer } from './word-piece-tokenizer';
import { checkWordPieceVocabulary, type WordPieceVocabulary } from './word-piece-vocabulary';

/** The committed corpus file. */
export const CORPUS_URL = new URL('../../corpus/sotu.json', import.meta.url);
/** The committed vocabulary file. */
export const VOCABULARY_URL = new URL('../../corpus/vocabulary.json', import.meta.url);

/** Reads the demo corpus (Node; nothing is fetched). */
export function loadCorpus(url: URL = CORPUS_URL): Corpus {
  const corpus = JSON.parse(readFileSync(url, 'utf8')) as Corpus;
  if (corpus.format !== 'lm-objectives-demo-corpus-v1' || !Array.isArray(corpus.documents)) {
    throw new Error(
      `loadCorpus: ${url.pathname} is not a demo corpus file. Fix: rebuild it with \`pnpm --filter @lm-objectives/demo corpus:build\`.`,
    );
  }
  return corpus;
}

/** Reads the demo vocabulary (Node). */
export function loadVocabulary(url: URL = VOCABULARY_URL): WordPieceVocabulary {
  return checkWordPieceVocabulary(JSON.parse(readFileSync(url, 'utf8')));
}

/** The demo tokenizer over the committed vocabulary (Node). */
export function loadTokenizer(url: URL = VOCABULARY_URL): WordPieceTokenizer {
  return createWordPieceTokenizer(loadVocabulary(url));
}
