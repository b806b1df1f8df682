import { InvalidArgumentError } from '@lm-objectives/core';
import { checkOptionKeys, isTokenId } from './internal/validate';

/**
 * The ids of GLM's special tokens in your tokenizer's vocabulary.
 *
 * - `cls` opens every sample and is never blanked (position 0).
 * - `mask` replaces each blanked token span in Part A (`[MASK]`).
 * - `sMask` replaces each blanked sentence (`[sMASK]`); without it sentences use `mask`, as the
 *   reference does without task masks.
 * - `gMask` replaces the blanked document suffix (`[gMASK]`); without it the suffix uses `mask`.
 * - `sop` starts every Part B segment (`[sop]`, "start of piece"); `eop` ends it (`[eop]`).
 * - `pad` fills `inputIds` and `targets` after a row's end (default 0, as the reference pads).
 */
export interface GlmSpecialTokens {
  readonly cls: number;
  readonly mask: number;
  readonly sop: number;
  readonly eop: number;
  readonly sMask?: number;
  readonly gMask?: number;
  readonly pad?: number;
}

/** {@link GlmSpecialTokens} with the defaults filled in. */
export interface ResolvedGlmSpecialTokens {
  readonly cls: number;
  readonly mask: number;
  readonly sop: number;
  readonly eop: number;
  readonly sMask: number;
  readonly gMask: number;
  readonly pad: number;
}

const REQUIRED = ['cls', 'mask', 'sop', 'eop'] as const;
const OPTIONAL = ['sMask', 'gMask', 'pad'] as const;

/** Checks the special-token ids and fills in `sMask`/`gMask` (→ `mask`) and `pad` (→ 0). */
export function resolveGlmSpecialTokens(
  functionName: string,
  tokens: unknown,
  argumentName = 'options.tokens',
): ResolvedGlmSpecialTokens {
  if (tokens == null || typeof tokens !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'the special-token ids { cls, mask, sop, eop, sMask?, gMask?, pad? }',
      received: tokens,
      fix: "look the ids up in your tokenizer, e.g. { cls: vocab['[CLS]'], mask: vocab['[MASK]'], sop: vocab['<|startofpiece|>'], eop: vocab['<|endofpiece|>'] }.",
    });
  }
  checkOptionKeys(functionName, tokens, [...REQUIRED, ...OPTIONAL], argumentName);
  const given = tokens as Record<string, unknown>;
  for (const name of [...REQUIRED, ...OPTIONAL]) {
    const id = given[name];
    const optional = (OPTIONAL as readonly string[]).includes(name);
    if ((optional && id === undefined) || isTokenId(id)) continue;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.${name}`,
      expected: `${optional ? 'undefined or ' : ''}a token id, an integer in [0, 2^31)`,
      received: id,
      fix: `set ${name} to the id of the ${name} token in your vocabulary.`,
    });
  }
  const mask = given['mask'] as number;
  return {
    cls: given['cls'] as number,
    mask,
    sop: given['sop'] as number,
    eop: given['eop'] as number,
    sMask: (given['sMask'] as number | undefined) ?? mask,
    gMask: (given['gMask'] as number | undefined) ?? mask,
    pad: (given['pad'] as number | undefined) ?? 0,
  };
}
