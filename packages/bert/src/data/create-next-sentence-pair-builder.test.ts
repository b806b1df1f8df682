import { createRng, type RandomSource } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import { createNextSentencePairBuilder } from './create-next-sentence-pair-builder';
import { NEXT_SENTENCE_LABEL } from './next-sentence-label';
import type { BuiltPairExample, SentenceDocument } from './next-sentence-pair-builder';
import type { NextSentencePairOptions } from './next-sentence-pair-options';

const CLS = 1;
const SEP = 2;
const DOCUMENT_STRIDE = 100_000;

/**
 * Token ids that say where they come from: `10 + document · 100000 + t`, where `t` counts the
 * document's tokens from 0. So a pair's tokens can be traced back to their document and position.
 */
function tracedCorpus(sentenceLengths: readonly (readonly number[])[]): SentenceDocument[] {
  return sentenceLengths.map((lengths, document) => {
    let t = 0;
    return lengths.map((length) =>
      Array.from({ length }, () => 10 + document * DOCUMENT_STRIDE + t++),
    );
  });
}

const documentOf = (id: number) => Math.floor((id - 10) / DOCUMENT_STRIDE);
const tokenOf = (id: number) => (id - 10) % DOCUMENT_STRIDE;

/** Random sentence lengths: `documents` documents of `sentences` sentences of `min`–`max` tokens. */
function randomLengths(
  random: RandomSource,
  documents: number,
  sentences: [number, number],
  tokens: [number, number],
): number[][] {
  return Array.from({ length: documents }, () =>
    Array.from({ length: random.int(...sentences) }, () => random.int(...tokens)),
  );
}

/** A and B of a pair, checked against the layout `[CLS] A [SEP] B [SEP]` and its segment ids. */
function sides(example: BuiltPairExample): { a: number[]; b: number[] } {
  const ids = Array.from(example.inputIds);
  const firstSep = ids.indexOf(SEP);
  const a = ids.slice(1, firstSep);
  const b = ids.slice(firstSep + 1, -1);
  expect(ids[0]).toBe(CLS);
  expect(ids[ids.length - 1]).toBe(SEP);
  expect(Array.from(example.tokenTypeIds)).toEqual([
    ...new Array(a.length + 2).fill(0),
    ...new Array(b.length + 1).fill(1),
  ]);
  return { a, b };
}

function isContiguous(tokens: readonly number[]): boolean {
  return tokens.every((id, index) => index === 0 || id === tokens[index - 1]! + 1);
}

const BASE: NextSentencePairOptions = { clsTokenId: CLS, sepTokenId: SEP, shuffle: false };

describe('createNextSentencePairBuilder: worked examples', () => {
  // maxLength 13 leaves 10 tokens for A and B: two 5-token sentences fill a chunk.
  const corpus = tracedCorpus([
    [5, 5, 5, 5],
    [5, 5],
  ]);
  const options = { ...BASE, maxLength: 13, shortSequenceProbability: 0 };

  it('with randomNextProbability 0: [CLS] s0 [SEP] s1 [SEP], label 0, chunk after chunk', () => {
    const { examples, statistics } = createNextSentencePairBuilder({
      ...options,
      randomNextProbability: 0,
    }).build(corpus, createRng(1));
    const sentence = (document: number, index: number) => corpus[document]![index] as number[];
    expect(examples.map((example) => Array.from(example.inputIds))).toEqual([
      [CLS, ...sentence(0, 0), SEP, ...sentence(0, 1), SEP],
      [CLS, ...sentence(0, 2), SEP, ...sentence(0, 3), SEP],
      [CLS, ...sentence(1, 0), SEP, ...sentence(1, 1), SEP],
    ]);
    expect(examples.map((example) => example.nextSentenceLabel)).toEqual([0, 0, 0]);
    expect(Array.from(examples[0]!.tokenTypeIds)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(statistics).toMatchObject({ documents: 2, sentences: 6, pairs: 3, randomNextPairs: 0 });
  });

  it('with randomNextProbability 1: B from the other document, and the unused sentences put back', () => {
    const { examples, statistics } = createNextSentencePairBuilder({
      ...options,
      randomNextProbability: 1,
    }).build(corpus, createRng(2));
    const fromFirst = examples.filter((example) => example.documentIndex === 0);
    // The chunk [s0, s1] gives A = s0; s1 goes back and starts the next chunk [s1, s2], and so on;
    // the last chunk [s3] is alone, which forces a random B too.
    expect(fromFirst.map((example) => sides(example).a)).toEqual(
      [0, 1, 2, 3].map((index) => corpus[0]![index]),
    );
    for (const example of examples) {
      const { a, b } = sides(example);
      expect(example.nextSentenceLabel).toBe(NEXT_SENTENCE_LABEL.notNext);
      expect(example.nextDocumentIndex).toBe(1 - example.documentIndex);
      expect(b.every((id) => documentOf(id) === example.nextDocumentIndex)).toBe(true);
      expect(a.every((id) => documentOf(id) === example.documentIndex)).toBe(true);
      // B reached its target of 10 − 5 tokens with one 5-token sentence.
      expect(b).toHaveLength(5);
    }
    expect(statistics.forcedRandomNextPairs).toBe(2); // s3 of document 0 and s1 of document 1
  });

  it('truncates the longer side first (B on a tie) down to maxLength − 3, keeping both sides contiguous', () => {
    // The chunk is [4 tokens, 10 tokens] (4 < 5, then 14 ≥ 5), A = 4 tokens and B = 10, and 5 may
    // stay: B 10→4, tie→B 3, A 3, tie→B 2.
    const long = tracedCorpus([
      [4, 10],
      [4, 10],
    ]);
    const builder = createNextSentencePairBuilder({
      ...BASE,
      maxLength: 8,
      shortSequenceProbability: 0,
      randomNextProbability: 0,
    });
    let frontDrops = 0;
    let backDrops = 0;
    for (let seed = 0; seed < 40; seed++) {
      for (const example of builder.build(long, createRng(seed)).examples) {
        const { a, b } = sides(example);
        expect([a.length, b.length]).toEqual([3, 2]);
        expect(isContiguous(a) && isContiguous(b)).toBe(true);
        expect(example.nextSentenceLabel).toBe(0);
        expect(tokenOf(a[0]!) >= 0 && tokenOf(a[2]!) <= 3).toBe(true);
        expect(tokenOf(b[0]!) >= 4 && tokenOf(b[1]!) <= 13).toBe(true);
        if (tokenOf(a[0]!) > 0) frontDrops++;
        if (tokenOf(a[2]!) < 3) backDrops++;
      }
    }
    // A's one drop is at its front or its back with probability 1/2 (80 pairs).
    expect(frontDrops).toBeGreaterThan(20);
    expect(backDrops).toBeGreaterThan(20);
  });
});

describe('createNextSentencePairBuilder: properties over a large corpus', () => {
  // 300 documents of 80–160 sentences of 3–20 tokens: over 5000 pairs at length 128.
  const corpus = tracedCorpus(randomLengths(createRng(10), 300, [80, 160], [3, 20]));
  const builder = createNextSentencePairBuilder({ clsTokenId: CLS, sepTokenId: SEP });
  const { examples, statistics } = builder.build(corpus, createRng(11));

  it('builds over 5000 pairs with labels balanced within ±2 points of 1/2', () => {
    expect(examples.length).toBeGreaterThan(5000);
    const random = examples.filter((example) => example.nextSentenceLabel === 1).length;
    expect(
      Math.abs(random / examples.length - 0.5),
      `share ${random / examples.length}`,
    ).toBeLessThan(0.02);
    // Chunks of two or more sentences choose random with probability exactly 1/2.
    const chosen =
      (random - statistics.forcedRandomNextPairs) /
      (examples.length - statistics.forcedRandomNextPairs);
    expect(Math.abs(chosen - 0.5)).toBeLessThan(0.02);
    expect(statistics.randomNextPairs).toBe(random);
  });

  it('never takes a random B from A’s document, and takes a true B right after A in the same document', () => {
    for (const example of examples) {
      const { a, b } = sides(example);
      expect(a.every((id) => documentOf(id) === example.documentIndex)).toBe(true);
      expect(b.every((id) => documentOf(id) === example.nextDocumentIndex)).toBe(true);
      expect(isContiguous(a) && isContiguous(b)).toBe(true);
      if (example.nextSentenceLabel === NEXT_SENTENCE_LABEL.notNext) {
        expect(example.nextDocumentIndex).not.toBe(example.documentIndex);
      } else {
        expect(example.nextDocumentIndex).toBe(example.documentIndex);
        expect(tokenOf(b[0]!)).toBeGreaterThan(tokenOf(a[a.length - 1]!));
      }
    }
  });

  it('lays out [CLS] A [SEP] B [SEP] with exact segment ids, at most 128 tokens and at least one per side', () => {
    for (const example of examples) {
      const { a, b } = sides(example);
      expect(a.length).toBeGreaterThanOrEqual(1);
      expect(b.length).toBeGreaterThanOrEqual(1);
      expect(example.inputIds.length).toBeLessThanOrEqual(128);
      expect(example.inputIds.length).toBe(a.length + b.length + 3);
    }
    expect(statistics.outputTokens).toBe(
      examples.reduce((sum, example) => sum + example.inputIds.length, 0),
    );
  });

  it('uses every sentence exactly once in an A or a true B: put-back sentences start the next chunk', () => {
    // One-token sentences never need truncation, so no token can be lost that way.
    const ones = tracedCorpus(
      Array.from({ length: 50 }, (_, index) => new Array(100 + index).fill(1)),
    );
    const pairs = createNextSentencePairBuilder({ ...BASE, maxLength: 20 }).build(
      ones,
      createRng(14),
    );
    const uses = ones.map((document) => new Array<number>(document.length).fill(0));
    for (const example of pairs.examples) {
      const { a, b } = sides(example);
      for (const id of a) uses[documentOf(id)]![tokenOf(id)]!++;
      if (example.nextSentenceLabel === 0)
        for (const id of b) uses[documentOf(id)]![tokenOf(id)]!++;
    }
    expect(pairs.statistics.randomNextPairs).toBeGreaterThan(200);
    expect(new Set(uses.flat())).toEqual(new Set([1]));
  });

  it('gives the same pairs for the same seed, and shuffles the pairs of all documents by default', () => {
    const again = builder.build(corpus, createRng(11));
    expect(again.examples).toEqual(examples);
    const documents = examples.slice(0, 50).map((example) => example.documentIndex);
    expect(documents).not.toEqual([...documents].sort((x, y) => x - y));
    const ordered = createNextSentencePairBuilder({ ...BASE }).build(corpus, createRng(11));
    const orderedDocuments = ordered.examples.map((example) => example.documentIndex);
    expect(orderedDocuments).toEqual([...orderedDocuments].sort((x, y) => x - y));
  });

  it('never uses A’s document with only two documents (the original could, after 10 unlucky retries)', () => {
    // With two documents the original's ten retries all hit A's document with probability 2^-10:
    // over 5000+ random pairs it would happen with probability ≈ 1 − e^-5 (99%).
    const two = tracedCorpus([new Array(12_000).fill(1), new Array(12_000).fill(1)]);
    const pairs = createNextSentencePairBuilder({ ...BASE, maxLength: 6 }).build(
      two,
      createRng(13),
    ).examples;
    const random = pairs.filter((example) => example.nextSentenceLabel === 1);
    expect(random.length).toBeGreaterThan(5000);
    expect(random.every((example) => example.nextDocumentIndex !== example.documentIndex)).toBe(
      true,
    );
  });
});

describe('createNextSentencePairBuilder: target lengths', () => {
  // 400 documents of 200 one-token sentences, no random B: every chunk but a document's last one
  // holds exactly the document's target length.
  const corpus = tracedCorpus(Array.from({ length: 400 }, () => new Array(200).fill(1)));
  const targets = (shortSequenceProbability: number) => {
    const { examples } = createNextSentencePairBuilder({
      ...BASE,
      maxLength: 23,
      shortSequenceProbability,
      randomNextProbability: 0,
    }).build(corpus, createRng(20));
    const byDocument = new Map<number, Set<number>>();
    for (const example of examples) {
      const lengths = byDocument.get(example.documentIndex) ?? new Set<number>();
      lengths.add(example.inputIds.length - 3);
      byDocument.set(example.documentIndex, lengths);
    }
    // The largest chunk of each document is its target (its last chunk may be shorter).
    return [...byDocument.values()].map((lengths) => Math.max(...lengths));
  };

  it('fills every chunk to maxLength − 3 with shortSequenceProbability 0', () => {
    expect(new Set(targets(0))).toEqual(new Set([20]));
  });

  it('draws one target per document, uniform in [2, maxLength − 3], with shortSequenceProbability 1', () => {
    const drawn = targets(1);
    expect(new Set(drawn)).toEqual(new Set(Array.from({ length: 19 }, (_, index) => index + 2)));
    const mean = drawn.reduce((sum, value) => sum + value, 0) / drawn.length;
    // Uniform on 2..20: mean 11, standard error 5.5 / sqrt(400) ≈ 0.27.
    expect(Math.abs(mean - 11)).toBeLessThan(1.4);
  });

  it('shortens about 10% of the documents with the default 0.1', () => {
    const drawn = targets(0.1);
    // P(target < 20) = 0.1 · 18/19 ≈ 0.095, standard error 0.015.
    const short = drawn.filter((value) => value < 20).length / drawn.length;
    expect(Math.abs(short - 0.1 * (18 / 19))).toBeLessThan(0.06);
  });
});

describe('createNextSentencePairBuilder: corpus checks', () => {
  it('skips empty sentences and documents but keeps the original document indices', () => {
    const corpus: SentenceDocument[] = [[], [[10, 11], [], [12]], [[]], [[20], [21, 22]]];
    const { examples, statistics } = createNextSentencePairBuilder({
      ...BASE,
      randomNextProbability: 0,
    }).build(corpus, createRng(30));
    expect(statistics).toMatchObject({ documents: 2, sentences: 4, inputTokens: 6 });
    expect(examples.map((example) => example.documentIndex)).toEqual([1, 3]);
    expect(Array.from(examples[0]!.inputIds)).toEqual([CLS, 10, 11, SEP, 12, SEP]);
  });

  it('accepts Int32Array sentences', () => {
    const corpus = [
      [Int32Array.of(10, 11), Int32Array.of(12)],
      [Int32Array.of(20), Int32Array.of(21)],
    ];
    const { examples } = createNextSentencePairBuilder({ ...BASE, randomNextProbability: 0 }).build(
      corpus,
      createRng(31),
    );
    expect(Array.from(examples[0]!.inputIds)).toEqual([CLS, 10, 11, SEP, 12, SEP]);
  });

  it('warns when most documents have a single sentence (every such pair is labelled random)', () => {
    const warnings: string[] = [];
    const builder = createNextSentencePairBuilder({
      ...BASE,
      onWarning: (message) => warnings.push(message),
    });
    const { examples } = builder.build(tracedCorpus(new Array(20).fill([8])), createRng(32));
    expect(examples.every((example) => example.nextSentenceLabel === 1)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('20 of 20 documents have a single sentence');
    builder.build(tracedCorpus(new Array(20).fill([8, 8, 8])), createRng(33));
    expect(warnings).toHaveLength(1);
  });

  const build = 'NextSentencePairBuilder.build';
  it.each([
    ['no documents', []],
    ['one document', [[[10, 11], [12]]]],
    ['two documents, one of them empty', [[[10], [11]], [[]]]],
  ])('refuses %s: next sentence prediction needs at least 2', (_, corpus) => {
    expectInvalidArgument(
      () => createNextSentencePairBuilder(BASE).build(corpus as SentenceDocument[], createRng(1)),
      build,
      'documents',
      ['at least 2 non-empty documents'],
    );
  });

  it('refuses malformed documents, sentences and tokens, naming where they are', () => {
    const builder = createNextSentencePairBuilder(BASE);
    expectInvalidArgument(() => builder.build('text' as never, createRng(1)), build, 'documents');
    expectInvalidArgument(
      () => builder.build([[[10]], 'x'] as never, createRng(1)),
      build,
      'documents[1]',
    );
    expectInvalidArgument(
      () => builder.build([[[10]], [[1], 7]] as never, createRng(1)),
      build,
      'documents[1][1]',
    );
    expectInvalidArgument(
      () => builder.build([[[10]], [[1, 'a']]] as never, createRng(1)),
      build,
      'documents[1][0][1]',
      ['an integer in [0, 2^31)'],
    );
    expectInvalidArgument(
      () => builder.build([[[10]], [Int32Array.of(-1)]], createRng(1)),
      build,
      'documents[1][0][0]',
    );
    expectInvalidArgument(() => builder.build([[[10]], [[11]]], {} as never), build, 'random');
  });

  it.each([
    ['a missing clsTokenId', { sepTokenId: SEP }, 'options.clsTokenId'],
    ['maxLength 4', { ...BASE, maxLength: 4 }, 'options.maxLength'],
    [
      'shortSequenceProbability 2',
      { ...BASE, shortSequenceProbability: 2 },
      'options.shortSequenceProbability',
    ],
    [
      'randomNextProbability −0.5',
      { ...BASE, randomNextProbability: -0.5 },
      'options.randomNextProbability',
    ],
    ['shuffle "yes"', { ...BASE, shuffle: 'yes' }, 'options.shuffle'],
    ['an onWarning that is not a function', { ...BASE, onWarning: 'log' }, 'options.onWarning'],
    [
      'an unknown option, suggesting the closest name',
      { ...BASE, maxSeqLength: 128 },
      'options.maxSeqLength',
      "did you mean 'maxLength'",
    ],
    [
      'the old name maxSequenceLength, naming maxLength',
      { ...BASE, maxSequenceLength: 128 },
      'options.maxSequenceLength',
      'use maxLength instead',
    ],
    [
      '[CLS] = [SEP] (the layout could not be read back)',
      { ...BASE, sepTokenId: CLS },
      'options.sepTokenId',
      'options.clsTokenId',
    ],
  ])('refuses %s', (_, options, argumentName, fragment?: string) => {
    expectInvalidArgument(
      () => createNextSentencePairBuilder(options as unknown as NextSentencePairOptions),
      'createNextSentencePairBuilder',
      argumentName,
      fragment ? [fragment] : [],
    );
  });
});
