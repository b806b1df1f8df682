// The demo's corpus and tokenizer: pure TypeScript, no tensors, no `node:*` imports, so it runs in
// a browser or a worker too. The Node file loaders are in `./node` (`loadCorpus`, `loadTokenizer`):
// a browser fetches the JSON files itself and passes the parsed objects in.
export {
  buildCorpusDocument,
  type Corpus,
  type CorpusDocument,
  corpusSentences,
  documentText,
  type ParagraphOptions,
} from './corpus';
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
