/**
 * Describes in words which keys a query position may attend to, from one row of an attention mask
 * (`true` = allowed): `'all'`, `'none'`, `'≤ self'` (causal; also a prefix-LM or GLM position after
 * the prefix), `'< k'` (the first $k$ keys: a prefix-LM or GLM position inside the prefix, or a
 * padded row), or `'n of L'` when the allowed keys are not a leading run.
 */
export function summarizeAttention(allowed: readonly boolean[], query: number): string {
  const length = allowed.length;
  const count = allowed.filter(Boolean).length;
  if (count === length) return 'all';
  if (count === 0) return 'none';
  let prefix = 0;
  while (prefix < length && allowed[prefix]) prefix++;
  const onlyPrefix = allowed.every((value, key) => value === key < prefix);
  if (onlyPrefix) return prefix === query + 1 ? '≤ self' : `< ${prefix}`;
  return `${count} of ${length}`;
}
