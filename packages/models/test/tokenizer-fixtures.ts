// Hand-made tokenizer.json files of the three kinds (Python's `tokenizers` is not available to
// write them): every vocabulary entry and merge is listed here, so the expected ids in the tests
// can be derived by hand.

const special = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

const specialTemplate = (token: string, id: number) => ({
  [token]: { id: token, ids: [id], tokens: [token] },
});

/** BERT-style WordPiece: BertNormalizer (lowercase, accents stripped, CJK split), BertPreTokenizer, [CLS] A [SEP] B [SEP]. */
export const WORD_PIECE_TOKENIZER = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((token, id) =>
    special(id, token),
  ),
  normalizer: {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
    ],
    pair: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: '[SEP]', type_id: 1 } },
    ],
    special_tokens: { ...specialTemplate('[CLS]', 2), ...specialTemplate('[SEP]', 3) },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: Object.fromEntries(
      [
        '[PAD]',
        '[UNK]',
        '[CLS]',
        '[SEP]',
        '[MASK]',
        'the',
        'cat',
        'sat',
        '.',
        ',',
        '!',
        'un',
        '##aff',
        '##able',
        'world',
        'hello',
        'it',
        'pur',
        '##red',
        '的',
      ].map((token, id) => [token, id]),
    ),
  },
};

/**
 * GPT-2's byte-to-character table: printable bytes (33–126, 161–172, 174–255) stand for
 * themselves, the other 68 bytes for code points 256, 257, … in byte order; ids 0–255 follow
 * that order (printable bytes first), as in GPT-2's vocabulary.
 */
export function byteLevelAlphabet(): string[] {
  const printable: number[] = [];
  for (let byte = 0; byte < 256; byte++) {
    if ((byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || byte >= 174)
      printable.push(byte);
  }
  const others = Array.from({ length: 256 }, (_, byte) => byte).filter(
    (byte) => !printable.includes(byte),
  );
  return [
    ...printable.map((byte) => String.fromCodePoint(byte)),
    ...others.map((_, index) => String.fromCodePoint(256 + index)),
  ];
}

/** GPT-2-style byte-level BPE: ByteLevel pre-tokenisation (GPT-2's regex), nine merges, `<|endoftext|>`. */
export function byteLevelTokenizer() {
  const merged = ['he', 'll', 'hell', 'hello', 'Ġw', 'or', 'Ġwor', 'Ġworl', 'Ġworld'];
  const vocab = Object.fromEntries(
    [...byteLevelAlphabet(), ...merged, '<|endoftext|>'].map((token, id) => [token, id]),
  );
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ ...special(265, '<|endoftext|>'), normalized: true }],
    normalizer: null,
    pre_tokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    },
    post_processor: {
      type: 'ByteLevel',
      add_prefix_space: true,
      trim_offsets: false,
      use_regex: true,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or', 'Ġwor l', 'Ġworl d'],
    },
  };
}

const hex = (byte: number) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;

/** Llama-2-style BPE (TinyLlama): spaces as `▁`, a prepended `▁`, byte fallback `<0xXX>`, `<s>` first. */
export function byteFallbackTokenizer() {
  const pieces = [
    '▁',
    'h',
    'e',
    'l',
    'o',
    'w',
    'r',
    'd',
    'll',
    '▁h',
    '▁he',
    '▁hell',
    '▁hello',
    '▁w',
    'or',
    '▁wor',
    '▁worl',
    '▁world',
  ];
  const vocab = Object.fromEntries(
    ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, byte) => hex(byte)), ...pieces].map(
      (token, id) => [token, id],
    ),
  );
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['<unk>', '<s>', '</s>'].map((token, id) => special(id, token)),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: specialTemplate('<s>', 1),
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges: [
        'l l',
        '▁ h',
        '▁h e',
        '▁he ll',
        '▁hell o',
        '▁ w',
        'o r',
        '▁w or',
        '▁wor l',
        '▁worl d',
      ],
    },
  };
}
