/**
 * `@lm-objectives/models/tokenizer`: Hugging Face `tokenizer.json` files through the
 * `@huggingface/tokenizers` library (an optional peer dependency: install it to use this entry).
 *
 * @packageDocumentation
 */

export {
  type EncodeTextOptions,
  type HuggingFaceTokenizer,
  loadTokenizer,
  type TokenizedText,
} from './load-tokenizer';
