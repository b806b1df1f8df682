import { InvalidArgumentError } from '@lm-objectives/core';
import { copyTokenIds } from '../internal/validate';

/**
 * A text's uncorrupted ids with `[CLS]` first, checked and copied (the caller's array is never
 * modified): with `prependCls`, `[CLS]` is written in front of the text; without it, the text must
 * already start with `[CLS]`. Every sample needs at least one token after `[CLS]` to blank.
 */
export function prepareGlmText(
  functionName: string,
  text: unknown,
  clsTokenId: number,
  prependCls: boolean,
): Int32Array {
  const ids = copyTokenIds(functionName, 'text', text, prependCls ? 1 : 0);
  if (prependCls) ids[0] = clsTokenId;
  else if (ids.length > 0 && ids[0] !== clsTokenId) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'text[0]',
      expected: `the [CLS] id ${clsTokenId} (prependCls is false, so each text must start with it)`,
      received: ids[0],
      fix: 'start every text with [CLS], or leave prependCls at its default true.',
    });
  }
  if (ids.length < 2) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'text',
      expected: 'at least one token after [CLS]',
      received: text,
      fix: 'filter out empty texts before building samples.',
    });
  }
  return ids;
}
