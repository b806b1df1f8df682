// The Node-only corpus entry: everything of `./index` plus the loaders that read the committed
// JSON files with `node:fs`. Browser code imports `./index` and never reaches this file.
export * from './index';
export {
  CORPUS_URL,
  loadCorpus,
  loadTokenizer,
  loadVocabulary,
  VOCABULARY_URL,
} from './load-corpus';
