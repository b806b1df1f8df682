// The demo's corpus and tokenizer: pure TypeScript, no tensors. `load-corpus` reads the committed
// files in Node; everything else also runs in a browser or a worker.
export {
  buildCorpusDocument,
  type Corpus,
  type CorpusDocument,
  corpusSentences,
  documentText,
  type ParagraphOptions,
} from './corpus';
export {
  CORPUS_URL,
  loadCorpus,
  loadTokenizer,
  loadVocabulary,
  VOCABULARY_URL,
} from './load-corpus';
export { normalizeText } from './normalize-text';
export { type PreToken, preTokenize } from './pre-tokenize';
export {
  CONTINUATION_PREFIX,
  SPACE_MARKER,
  SPECIAL_TOKENS,
  type SpecialToken,
} from './special-tokens';
export {
  DEFAULT_ABBREVIATIONS,
  DEFAULT_SENTENCE_STARTERS,
  type SplitSentencesOptions,
  splitSentences,
} from './split-sentences';
export { type TrainWordPieceOptions, trainWordPiece } from './train-word-piece';
export {
  createWordPieceTokenizer,
  type DecodeOptions,
  type EncodeOptions,
  type Encoding,
  type WordPieceTokenizer,
} from './word-piece-tokenizer';
export { checkWordPieceVocabulary, type WordPieceVocabulary } from './word-piece-vocabulary';
