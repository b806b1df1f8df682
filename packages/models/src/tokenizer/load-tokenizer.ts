import { Tokenizer } from '@huggingface/tokenizers';
import { InvalidArgumentError } from '@lm-objectives/core';

/** One encoded text (or text pair), in the names the objectives' batches use. */
export interface TokenizedText {
  /** The token ids, special tokens included unless `addSpecialTokens: false`. */
  readonly inputIds: Int32Array;
  /** 0 for the first text's tokens, 1 for the pair's (BERT's segments); all 0 for a single text. */
  readonly tokenTypeIds: Int32Array;
  /** The tokens as strings (byte-level tokens in their printable form, e.g. `'Ġworld'`). */
  readonly tokens: readonly string[];
}

/** Options of {@link HuggingFaceTokenizer.encode}. */
export interface EncodeTextOptions {
  /** A second text (BERT's sentence B), encoded after the first with token type 1. */
  pair?: string;
  /** Add the special tokens of the tokenizer's post-processor (`[CLS]`, `[SEP]`, `<s>`). Default `true`. */
  addSpecialTokens?: boolean;
}

/** A `tokenizer.json` loaded with `@huggingface/tokenizers`. */
export interface HuggingFaceTokenizer {
  /** Rows of the embedding table this vocabulary needs: the largest id + 1 (added tokens included). */
  readonly vocabularySize: number;
  /** Encodes a text (normalisation, pre-tokenisation, the model, the post-processor's special tokens). */
  encode(text: string, options?: EncodeTextOptions): TokenizedText;
  /** Decodes ids back to text; `skipSpecialTokens` (default `false`) drops `[CLS]`, `<s>`, …. */
  decode(ids: ArrayLike<number>, options?: { skipSpecialTokens?: boolean }): string;
  /** The id of a token string, e.g. `tokenToId('[MASK]')`; `undefined` when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** The token string of an id; `undefined` when out of range. */
  idToToken(id: number): string | undefined;
  /** The library's own tokenizer, for anything this wrapper does not expose. */
  readonly library: Tokenizer;
}

const FUNCTION_NAME = 'loadTokenizer';

function parse(value: unknown, argumentName: string, optional: boolean): Record<string, unknown> {
  if (value === undefined && optional) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName,
      expected: 'the JSON text of the file, or its parsed object',
      received: value,
      fix: "pass the file's text (e.g. readFileSync('tokenizer.json', 'utf8')) or the parsed object.",
    });
  }
  return parsed as Record<string, unknown>;
}

/**
 * Loads a Hugging Face `tokenizer.json` (and optionally `tokenizer_config.json`) with the
 * `@huggingface/tokenizers` library: WordPiece (BERT), byte-level BPE (GPT-2, SmolLM, Llama 3) and
 * SentencePiece-style BPE with byte fallback (Llama 2, TinyLlama), with their normalisers,
 * pre-tokenisers, post-processors and decoders. Install the library next to this package
 * (`npm i @huggingface/tokenizers`); nothing else of `@lm-objectives/models` loads it.
 *
 * @example
 * import { loadTokenizer } from '@lm-objectives/models/tokenizer';
 * const tokenizer = loadTokenizer(readFileSync('bert/tokenizer.json', 'utf8'));
 * const { inputIds, tokenTypeIds } = tokenizer.encode('The cat sat.', { pair: 'It purred.' });
 */
export function loadTokenizer(
  tokenizerJson: unknown,
  tokenizerConfigJson?: unknown,
): HuggingFaceTokenizer {
  const definition = parse(tokenizerJson, 'tokenizerJson', false);
  if (definition['model'] === null || typeof definition['model'] !== 'object') {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'tokenizerJson.model',
      expected: "a tokenizer model object ({ type: 'WordPiece' | 'BPE' | …, vocab, … })",
      received: definition['model'],
      fix: 'pass a tokenizer.json written by Hugging Face tokenizers (not tokenizer_config.json or vocab.txt).',
    });
  }
  const library = new Tokenizer(
    definition,
    parse(tokenizerConfigJson, 'tokenizerConfigJson', true),
  );
  const vocabulary = library.get_vocab(true);
  const vocabularySize = Math.max(-1, ...vocabulary.values()) + 1;
  return {
    vocabularySize,
    library,
    encode(text, options = {}) {
      const encoding = library.encode(text, {
        text_pair: options.pair ?? null,
        add_special_tokens: options.addSpecialTokens ?? true,
        return_token_type_ids: true,
      });
      return {
        inputIds: Int32Array.from(encoding.ids),
        tokenTypeIds: Int32Array.from(encoding.token_type_ids ?? encoding.ids.map(() => 0)),
        tokens: encoding.tokens,
      };
    },
    decode: (ids, options = {}) =>
      library.decode(Array.from(ids), { skip_special_tokens: options.skipSpecialTokens ?? false }),
    tokenToId: (token) => library.token_to_id(token),
    idToToken: (id) => library.id_to_token(id),
  };
}
