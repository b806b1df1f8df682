import { InvalidArgumentError } from '../errors/invalid-argument-error';

/** An option name as the message shows it: `maskTokenId` → `options.maskTokenId`; a path stays. */
function optionPath(name: string): string {
  return /[.[]/.test(name) ? name : `options.${name}`;
}

/**
 * Refuses two special tokens with the same id (a `[MASK]` that is also the `[SEP]` would make the
 * data side's output ambiguous). `ids` maps option names to ids; `undefined` entries (options left
 * out) are skipped. A bare name is shown as `options.<name>`, a name with a path as written.
 *
 * @example
 * checkDistinctTokenIds('createGlmBatch', { maskTokenId, sopTokenId, eopTokenId });
 * // createGlmBatch: argument 'options.sopTokenId' is invalid. Expected … ; received 5
 * // (options.maskTokenId and options.sopTokenId are both 5). Fix: …
 */
export function checkDistinctTokenIds(
  functionName: string,
  ids: Readonly<Record<string, number | undefined>>,
): void {
  const ownerOfId = new Map<number, string>();
  for (const [name, id] of Object.entries(ids)) {
    if (id === undefined) continue;
    const first = ownerOfId.get(id);
    if (first === undefined) {
      ownerOfId.set(id, name);
      continue;
    }
    throw new InvalidArgumentError({
      functionName,
      argumentName: optionPath(name),
      expected: `a token id different from ${optionPath(first)} (every special token needs its own id)`,
      received: id,
      receivedDescription: `${id} (${optionPath(first)} and ${optionPath(name)} are both ${id})`,
      fix: `give ${optionPath(name)} the tokenizer's id of its own token.`,
    });
  }
}
