import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Which linears to adapt, by name: a regular expression, a predicate, or a list of exact names
 * and regular expressions (a name matching any entry is adapted).
 */
export type LoraTargets = RegExp | ((name: string) => boolean) | readonly (string | RegExp)[];

/** The name tokens the default targets look for: the attention query and value projections. */
export const DEFAULT_TARGET_TOKENS: readonly string[] = [
  'q',
  'v',
  'query',
  'value',
  'wq',
  'wv',
  'qproj',
  'vproj',
];

/** A name cut at non-alphanumerics and camel-case humps, lower-cased: `'layer0/attn.qProj'` → `layer, 0, attn, q, proj`. */
function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((token) => token !== '')
    .map((token) => token.toLowerCase());
}

/**
 * The default target rule: a name is an attention query or value projection when one of its tokens
 * (cut at `/ . _ -`, digits and camel-case humps) is `q`, `v`, `query`, `value`, `wq`, `wv`, `qproj`
 * or `vproj`; so `'h0/attn/q_proj'`, `'layer_1/query'`, `'block2.wv'` and `'valueProjection'`
 * match, while `'key'`, `'output'` and `'mlp/fc1'` do not. The LoRA paper found adapting $W_q$ and
 * $W_v$ best under a fixed parameter budget.
 */
export function isDefaultLoraTarget(name: string): boolean {
  return nameTokens(name).some((token) => DEFAULT_TARGET_TOKENS.includes(token));
}

/** Whether `name` is selected by `targets` (the default rule when `targets` is `undefined`). */
export function matchesLoraTargets(name: string, targets: LoraTargets | undefined): boolean {
  if (targets === undefined) return isDefaultLoraTarget(name);
  if (targets instanceof RegExp)
    return new RegExp(targets.source, targets.flags.replace('g', '')).test(name);
  if (typeof targets === 'function') return targets(name) === true;
  return targets.some((entry) =>
    typeof entry === 'string'
      ? entry === name
      : new RegExp(entry.source, entry.flags.replace('g', '')).test(name),
  );
}

/**
 * The names among `candidates` that `targets` selects, in candidate order. Throws when `targets` is
 * malformed, names an exact linear that does not exist, or selects nothing: an adapter silently
 * attached to no layer would train nothing.
 */
export function selectLoraTargets(
  functionName: string,
  candidates: readonly string[],
  targets: LoraTargets | undefined,
  candidateKind: string,
): string[] {
  const valid =
    targets === undefined ||
    targets instanceof RegExp ||
    typeof targets === 'function' ||
    (Array.isArray(targets) &&
      targets.length > 0 &&
      targets.every((entry) => typeof entry === 'string' || entry instanceof RegExp));
  if (!valid) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.targets',
      expected:
        'a RegExp, a predicate (name) => boolean, or a non-empty array of names and RegExps',
      received: targets,
      fix: "pass e.g. /query|value/ or ['layer0/query', 'layer0/value'].",
    });
  }
  if (Array.isArray(targets)) {
    for (const entry of targets) {
      if (typeof entry === 'string' && !candidates.includes(entry)) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'options.targets',
          expected: `names of existing ${candidateKind} (${candidates.map((name) => `'${name}'`).join(', ')})`,
          received: entry,
          fix: 'correct the name, or use a RegExp to match several names.',
        });
      }
    }
  }
  const selected = candidates.filter((name) => matchesLoraTargets(name, targets));
  if (selected.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.targets',
      expected: `a rule selecting at least one of the ${candidateKind} ${candidates.map((name) => `'${name}'`).join(', ') || '(there are none)'}`,
      received: targets,
      receivedDescription:
        targets === undefined
          ? 'the default (attention query and value projections by name), which matched none'
          : 'a rule that matched none',
      fix: 'pass options.targets naming the linears to adapt, e.g. /dense_1|dense_2/ or a list of names.',
    });
  }
  return selected;
}
