import { checkTokenIds, InvalidArgumentError } from '@lm-objectives/core';

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
  const checked = checkTokenIds({ functionName, argumentName: 'text' }, text);
  let ids = checked;
  if (prependCls) {
    ids = new Int32Array(checked.length + 1);
    ids[0] = clsTokenId;
    ids.set(checked, 1);
  } else if (ids.length > 0 && ids[0] !== clsTokenId) {
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
