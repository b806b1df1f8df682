import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * The option names this package had before the 0.x vocabulary change, and what replaced them, so
 * that code written for the old names fails with the exact new name rather than a guess.
 */
const RENAMED_OPTIONS: Readonly<
  Record<string, { readonly replacement: string; readonly key: string }>
> = {
  tokens: {
    replacement:
      'the flat ids clsTokenId, maskTokenId, sopTokenId, eopTokenId, sMaskTokenId?, gMaskTokenId?, padTokenId?',
    key: 'clsTokenId',
  },
  bertProb: { replacement: 'spanProbability', key: 'spanProbability' },
  gapSentenceProb: { replacement: 'sentenceProbability', key: 'sentenceProbability' },
  singleSpanProb: { replacement: 'singleSpanProbability', key: 'singleSpanProbability' },
  gptMinRatio: { replacement: 'documentMinBlankRatio', key: 'documentMinBlankRatio' },
  sequenceLength: { replacement: "maxLength (with padding: 'max-length')", key: 'maxLength' },
  padId: { replacement: 'padTokenId', key: 'padTokenId' },
};

/**
 * Refuses this package's renamed options with their replacement (`bertProb` → "renamed to
 * spanProbability"), before core's option check, whose closest-name guess could not know it.
 * Anything that is not an object is left to that check.
 */
export function checkRenamedGlmOptions(
  functionName: string,
  options: unknown,
  allowed: readonly string[],
): void {
  if (options == null || typeof options !== 'object' || Array.isArray(options)) return;
  for (const key of Object.keys(options)) {
    const renamed = RENAMED_OPTIONS[key];
    if (renamed === undefined || allowed.includes(key) || !allowed.includes(renamed.key)) continue;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `options.${key}`,
      expected: `one of the known options; '${key}' was renamed to ${renamed.replacement}`,
      received: key,
      receivedDescription: `the old option name '${key}'`,
      fix: `use ${renamed.replacement} (see "Migrating" in the @lm-objectives/glm README).`,
    });
  }
}
