import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * The ids of a WordPiece vocabulary's continuation pieces (tokens starting with `prefix`, `##` by
 * default), for whole-word masking from token ids alone: pass them as the masker's
 * `continuationTokenIds` and each such piece joins the word of the token before it, the rule of
 * the original BERT generator.
 *
 * @param vocabulary the tokens in id order (`vocabulary[id]` is the token of `id`), e.g. the lines of `vocab.txt`.
 * @param prefix the continuation marker. Default `'##'`.
 * @example
 * const continuationTokenIds = continuationTokenIdsFromVocabulary(vocabText.split('\n'));
 */
export function continuationTokenIdsFromVocabulary(
  vocabulary: readonly string[],
  prefix = '##',
): Int32Array {
  const functionName = 'continuationTokenIdsFromVocabulary';
  if (!Array.isArray(vocabulary)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'vocabulary',
      expected: 'an array of token strings in id order',
      received: vocabulary,
      fix: "pass the vocabulary, e.g. vocabText.split('\\n').",
    });
  }
  if (typeof prefix !== 'string' || prefix === '') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'prefix',
      expected: 'a non-empty string',
      received: prefix,
      fix: "pass the continuation marker, '##' for WordPiece.",
    });
  }
  const ids: number[] = [];
  vocabulary.forEach((token, id) => {
    if (typeof token === 'string' && token.length > prefix.length && token.startsWith(prefix)) {
      ids.push(id);
    }
  });
  return Int32Array.from(ids);
}
