import { type ArgumentSite, InvalidArgumentError } from '@lm-objectives/core';

/**
 * Refuses an option under a name this package used before (0.0.x), saying what replaced it: an
 * old name is often too far from its new one for the closest-name suggestion of the unknown-key
 * check (`maxSequenceLength` → `maxLength`), and a silently ignored option would train with the
 * default instead.
 *
 * @param renamed old name → what to write instead (a name, or a short instruction).
 */
export function checkRenamedOptions(
  site: ArgumentSite,
  options: unknown,
  renamed: Readonly<Record<string, string>>,
): void {
  if (options === null || typeof options !== 'object') return;
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(renamed, key)) continue;
    throw new InvalidArgumentError({
      ...site,
      argumentName: `${site.argumentName}.${key}`,
      expected: 'an option of the current version',
      received: key,
      receivedDescription: `the option '${key}', renamed in @lm-objectives/bert 0.1`,
      fix: `use ${renamed[key]} instead (the README's "Migrating" section lists every rename).`,
    });
  }
}
