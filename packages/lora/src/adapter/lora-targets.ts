import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Which linears to adapt, by name: a regular expression, a predicate, a list of exact names
 * and regular expressions (a name matching any entry is adapted), or `'all-linear'`: every
 * linear except the output head (PEFT's `target_modules="all-linear"`).
 */
export type LoraTargets =
  | RegExp
  | ((name: string) => boolean)
  | readonly (string | RegExp)[]
  | 'all-linear';

/** The name tokens that mark an output head, which `'all-linear'` leaves out. */
export const OUTPUT_HEAD_TOKENS: readonly string[] = ['head', 'lmhead', 'classifier', 'logits'];

/**
 * Whether a linear's name marks it as the model's output head (a token `head`, `lmhead`,
 * `classifier` or `logits`, as in `'lm_head'`, `'outputHead'`, `'classifier'`): `'all-linear'`
 * leaves it out, as PEFT does, because adapting the projection to the vocabulary is rarely wanted.
 */
export function isOutputHeadName(name: string): boolean {
  return nameTokens(name).some((token) => OUTPUT_HEAD_TOKENS.includes(token));
}

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
  if (targets === 'all-linear') return !isOutputHeadName(name);
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
 * malformed, names an exact linear that does not exist, holds a pattern that matches nothing, or
 * selects nothing: an adapter silently attached to no layer would train nothing.
 *
 * @param outputHeads the names `'all-linear'` leaves out; default: those {@link isOutputHeadName} marks.
 */
export function selectLoraTargets(
  functionName: string,
  candidates: readonly string[],
  targets: LoraTargets | undefined,
  candidateKind: string,
  outputHeads?: readonly string[],
): string[] {
  const available = `${candidateKind} ${candidates.map((name) => `'${name}'`).join(', ') || '(there are none)'}`;
  const valid =
    targets === undefined ||
    targets === 'all-linear' ||
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
        "a RegExp, a predicate (name) => boolean, a non-empty array of names and RegExps, or 'all-linear'",
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
      // A pattern that matches nothing is almost always a typo; say so rather than adapt less.
      if (
        entry instanceof RegExp &&
        !candidates.some((name) => matchesLoraTargets(name, [entry]))
      ) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'options.targets',
          expected: `patterns that each match at least one of the ${available}`,
          received: entry,
          receivedDescription: `the pattern ${String(entry)}, which matched none`,
          fix: 'correct the pattern, or remove it from the list.',
        });
      }
    }
  }
  const selected =
    targets === 'all-linear'
      ? candidates.filter((name) =>
          outputHeads === undefined ? !isOutputHeadName(name) : !outputHeads.includes(name),
        )
      : candidates.filter((name) => matchesLoraTargets(name, targets));
  if (selected.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.targets',
      expected: `a rule selecting at least one of the ${available}`,
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

/** Validates an `outputHeads` option: `undefined`, or an array of names among `candidates`. */
export function checkOutputHeads(
  functionName: string,
  outputHeads: unknown,
  candidates: readonly string[],
): readonly string[] | undefined {
  if (outputHeads === undefined) return undefined;
  const unknown = Array.isArray(outputHeads)
    ? outputHeads.find((name) => typeof name !== 'string' || !candidates.includes(name))
    : outputHeads;
  if (!Array.isArray(outputHeads) || unknown !== undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.outputHeads',
      expected: `an array of names among ${candidates.map((name) => `'${name}'`).join(', ')}`,
      received: unknown,
      fix: "list the output head's linears by name, e.g. ['lm_head'].",
    });
  }
  return outputHeads as readonly string[];
}
