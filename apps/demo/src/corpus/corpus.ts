import { normalizeText } from './normalize-text';
import { splitSentences } from './split-sentences';

/** One address: its paragraphs, each a list of sentences (normalised text). */
export interface CorpusDocument {
  /** `<year>-<president>`, e.g. `'1993-william-j-clinton'`. */
  readonly id: string;
  readonly year: number;
  readonly president: string;
  readonly party: string;
  readonly paragraphs: readonly (readonly string[])[];
}

/** The demo corpus file (`corpus/sotu.json`). */
export interface Corpus {
  readonly format: 'lm-objectives-demo-corpus-v1';
  /** Where the text comes from, its licence, and how it was cut. */
  readonly source: string;
  readonly license: string;
  readonly notes: readonly string[];
  readonly documents: readonly CorpusDocument[];
}

/** Options of {@link buildCorpusDocument}. */
export interface ParagraphOptions {
  /** A paragraph closes once it has this many sentences. Default 4. */
  maxSentences?: number;
  /** … or this many characters. Default 600. */
  maxCharacters?: number;
}

/**
 * Turns one address into a {@link CorpusDocument}: normalises the text, splits it into sentences
 * (`splitSentences`), and groups consecutive sentences into paragraphs. The source transcripts
 * carry no paragraph breaks, so paragraphs here are runs of at most `maxSentences` sentences or
 * about `maxCharacters` characters: a unit for objectives that want passages, not an authorial one.
 */
export function buildCorpusDocument(
  address: { year: number; name: string; party: string; text: string },
  options: ParagraphOptions = {},
): CorpusDocument {
  const maxSentences = options.maxSentences ?? 4;
  const maxCharacters = options.maxCharacters ?? 600;
  const paragraphs: string[][] = [];
  let current: string[] = [];
  let characters = 0;
  for (const sentence of splitSentences(normalizeText(address.text))) {
    current.push(sentence);
    characters += sentence.length + 1;
    if (current.length >= maxSentences || characters >= maxCharacters) {
      paragraphs.push(current);
      current = [];
      characters = 0;
    }
  }
  if (current.length > 0) paragraphs.push(current);
  return {
    id: `${address.year}-${address.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    year: address.year,
    president: address.name,
    party: address.party,
    paragraphs,
  };
}

/** Every sentence of the corpus, document by document. */
export function corpusSentences(corpus: Corpus): string[] {
  return corpus.documents.flatMap((document) => document.paragraphs.flat());
}

/** The text of a document: its sentences joined by single spaces (the normalised source text). */
export function documentText(document: CorpusDocument): string {
  return document.paragraphs.flat().join(' ');
}
