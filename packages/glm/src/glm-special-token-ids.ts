import { checkDistinctTokenIds, checkTokenId } from '@lm-objectives/core';

/**
 * The ids of GLM's special tokens in your tokenizer's vocabulary (flat options of
 * `createGlmSampleBuilder` and `createGlmObjective`).
 *
 * - `clsTokenId` opens every sample and is never blanked (position 0).
 * - `maskTokenId` replaces each blanked token span in Part A (`[MASK]`).
 * - `sMaskTokenId` replaces each blanked sentence (`[sMASK]`); without it sentences use
 *   `maskTokenId`, as the reference does without task masks.
 * - `gMaskTokenId` replaces the blanked document suffix (`[gMASK]`); without it the suffix uses
 *   `maskTokenId`.
 * - `sopTokenId` starts every Part B segment (`[sop]`, "start of piece"); `eopTokenId` ends it
 *   (`[eop]`).
 * - `padTokenId` fills `inputIds` and `targets` after a row's end (default 0, as the reference pads).
 *
 * `[CLS]`, `[MASK]`, `[sop]` and `[eop]` must be four different ids, and `[sMASK]`/`[gMASK]` must
 * differ from `[CLS]`, `[sop]` and `[eop]` (they may share `[MASK]`'s id, which is what leaving them
 * out does). The padding id may be any id: padded positions are never scored.
 */
export interface GlmSpecialTokenIds {
  /** `[CLS]`, first in every sample (required). */
  readonly clsTokenId: number;
  /** `[MASK]`, one per blanked token span in Part A (required). */
  readonly maskTokenId: number;
  /** `[sop]`, first in every Part B segment (required). */
  readonly sopTokenId: number;
  /** `[eop]`, last target of every Part B segment (required). */
  readonly eopTokenId: number;
  /** `[sMASK]`, one per blanked sentence. Default `maskTokenId`. */
  readonly sMaskTokenId?: number;
  /** `[gMASK]`, the blanked document suffix. Default `maskTokenId`. */
  readonly gMaskTokenId?: number;
  /** The padding id after each row's end. Default 0. */
  readonly padTokenId?: number;
}

/** {@link GlmSpecialTokenIds} with the defaults filled in. */
export interface ResolvedGlmSpecialTokenIds {
  readonly clsTokenId: number;
  readonly maskTokenId: number;
  readonly sopTokenId: number;
  readonly eopTokenId: number;
  readonly sMaskTokenId: number;
  readonly gMaskTokenId: number;
  readonly padTokenId: number;
}

/** The option names of {@link GlmSpecialTokenIds}: the four required ids, then the optional ones. */
export const GLM_SPECIAL_TOKEN_ID_KEYS = [
  'clsTokenId',
  'maskTokenId',
  'sopTokenId',
  'eopTokenId',
  'sMaskTokenId',
  'gMaskTokenId',
  'padTokenId',
] as const;

/** The ids every GLM factory needs. */
export const REQUIRED_GLM_SPECIAL_TOKEN_ID_KEYS: readonly string[] =
  GLM_SPECIAL_TOKEN_ID_KEYS.slice(0, 4);

const TOKEN_NAMES: Readonly<Record<(typeof GLM_SPECIAL_TOKEN_ID_KEYS)[number], string>> = {
  clsTokenId: '[CLS]',
  maskTokenId: '[MASK]',
  sopTokenId: '[sop]',
  eopTokenId: '[eop]',
  sMaskTokenId: '[sMASK]',
  gMaskTokenId: '[gMASK]',
  padTokenId: '[PAD]',
};

/**
 * Checks the special-token ids of `options` (integers in $[0, 2^{31})$, the distinctness rules of
 * {@link GlmSpecialTokenIds}; the caller has checked that the required ones are present) and fills in `sMaskTokenId` and
 * `gMaskTokenId` (→ `maskTokenId`) and `padTokenId` (→ 0).
 */
export function resolveGlmSpecialTokenIds(
  functionName: string,
  options: Readonly<Record<string, unknown>>,
): ResolvedGlmSpecialTokenIds {
  const ids: Record<string, number | undefined> = {};
  for (const name of GLM_SPECIAL_TOKEN_ID_KEYS) {
    const value = options[name];
    const optional = !REQUIRED_GLM_SPECIAL_TOKEN_ID_KEYS.includes(name);
    ids[name] =
      value === undefined && optional
        ? undefined
        : checkTokenId({ functionName, argumentName: `options.${name}` }, value, {
            tokenName: TOKEN_NAMES[name],
          });
  }
  const { clsTokenId, maskTokenId, sopTokenId, eopTokenId, sMaskTokenId, gMaskTokenId } = ids;
  checkDistinctTokenIds(functionName, { clsTokenId, maskTokenId, sopTokenId, eopTokenId });
  checkDistinctTokenIds(functionName, { clsTokenId, sopTokenId, eopTokenId, sMaskTokenId });
  checkDistinctTokenIds(functionName, { clsTokenId, sopTokenId, eopTokenId, gMaskTokenId });
  return {
    clsTokenId: clsTokenId!,
    maskTokenId: maskTokenId!,
    sopTokenId: sopTokenId!,
    eopTokenId: eopTokenId!,
    sMaskTokenId: sMaskTokenId ?? maskTokenId!,
    gMaskTokenId: gMaskTokenId ?? maskTokenId!,
    padTokenId: ids['padTokenId'] ?? 0,
  };
}
