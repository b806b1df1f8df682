/**
 * What the masker did at a position, as stored in `actions` (a `Uint8Array`). The names are core's
 * `TokenAction` words, which `explainBatch` reports:
 *
 * | code | name | meaning |
 * | --- | --- | --- |
 * | 0 | `none` | not selected: no label, the token is unchanged |
 * | 1 | `masked` | selected, replaced by `[MASK]` (probability `maskTokenProbability`, 0.8) |
 * | 2 | `random` | selected, replaced by a random token (probability `randomTokenProbability`, 0.1) |
 * | 3 | `kept` | selected, left unchanged (the rest, 0.1) — it still has a label |
 *
 * "Selected" is not "replaced by `[MASK]`": `random` and `kept` positions are predicted too.
 */
export const MASK_ACTION = Object.freeze({ none: 0, masked: 1, random: 2, kept: 3 } as const);

/** One of the {@link MASK_ACTION} codes. */
export type MaskAction = (typeof MASK_ACTION)[keyof typeof MASK_ACTION];
