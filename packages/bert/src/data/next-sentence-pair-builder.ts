import type { RandomSource } from '@lm-objectives/core';
import type { BertPairExample } from '../bert-pair-example';
import type { ResolvedNextSentencePairOptions } from './next-sentence-pair-options';

/** A sentence: its token ids (without `[CLS]`/`[SEP]`). */
export type Sentence = readonly number[] | Int32Array;

/** A document: its sentences in order. */
export type SentenceDocument = readonly Sentence[];

/** A pair as the builder makes it: a {@link BertPairExample} plus where A and B came from. */
export interface BuiltPairExample extends BertPairExample {
  /** `[CLS] A [SEP] B [SEP]`, a view into a buffer shared by the pairs of one `build` call. */
  readonly inputIds: Int32Array;
  /** 0 for `[CLS]`, A and the first `[SEP]`; 1 for B and the final `[SEP]`. Same storage as `inputIds`. */
  readonly tokenTypeIds: Int32Array;
  /** The document A was taken from (index into the documents passed to `build`). */
  readonly documentIndex: number;
  /** The document B was taken from: `documentIndex` for IsNext, always another one for NotNext. */
  readonly nextDocumentIndex: number;
}

/** Counts describing one `build` call. */
export interface NextSentencePairStatistics {
  /** Documents with at least one non-empty sentence (empty ones are skipped). */
  readonly documents: number;
  /** Non-empty sentences. */
  readonly sentences: number;
  /** Documents with exactly one sentence: every pair started from them is labelled random. */
  readonly singleSentenceDocuments: number;
  /** Tokens in all non-empty sentences. */
  readonly inputTokens: number;
  /** Pairs built. */
  readonly pairs: number;
  /** Pairs labelled 1 (B random). */
  readonly randomNextPairs: number;
  /** Of those, the pairs whose chunk had a single sentence, which forces a random B. */
  readonly forcedRandomNextPairs: number;
  /** Tokens in all pairs, specials included. */
  readonly outputTokens: number;
}

/** What `build` returns. */
export interface NextSentencePairResult {
  readonly examples: BuiltPairExample[];
  readonly statistics: NextSentencePairStatistics;
}

/** A configured pair builder (see `createNextSentencePairBuilder`). */
export interface NextSentencePairBuilder {
  readonly options: ResolvedNextSentencePairOptions;
  /**
   * Builds the pairs of every document.
   *
   * @param documents each a list of sentences of token ids. At least 2 non-empty documents.
   * @param random the source of every random choice.
   * @throws {InvalidArgumentError} for fewer than 2 non-empty documents or malformed sentences.
   */
  build(documents: readonly SentenceDocument[], random: RandomSource): NextSentencePairResult;
}
