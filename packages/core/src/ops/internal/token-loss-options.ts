import { IGNORE_INDEX } from '../../contract/v1/ignore-index';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { checkBoolean } from '../../validation/check-boolean';
import { checkFiniteNumber } from '../../validation/check-finite-number';
import { checkNumberInRange } from '../../validation/check-number-in-range';
import { checkOneOf } from '../../validation/check-one-of';
import { checkOptionKeys } from '../../validation/check-option-keys';
import { resolveIgnoreIndex } from '../../validation/resolve-ignore-index';
import type { WeightsInput } from './token-targets';

/** How per-position losses are reduced. */
export type TokenLossReduction = 'mean' | 'sum' | 'none';

/** The options every token loss of lm-objectives accepts (`crossEntropy`, the fused loss, …). */
export interface TokenLossOptions {
  /** Label value that is neither scored nor counted. Default {@link IGNORE_INDEX} (−100). */
  ignoreIndex?: number;
  /**
   * Causal shift: position $t$'s scores predict `labels[t+1]`, and the last position of each row
   * predicts nothing. Pass labels aligned with the inputs and let the loss shift them; never shift
   * twice. For rank-2 input `[N, V]` the N positions form one sequence. Default `false`.
   */
  shift?: boolean;
  /**
   * `'mean'` (default): $\mathrm{sum} / \mathrm{normaliser}$; `'sum'`: $\mathrm{sum}$; `'none'`:
   * per-position losses of the labels' shape (0 where not counted; with `shift`, position $t$
   * holds the loss of predicting label $t+1$).
   */
  reduction?: TokenLossReduction;
  /**
   * The normaliser of `'mean'` instead of this batch's `count`: the total counted positions of a
   * whole gradient-accumulation window (or of all workers), so that the window's gradient equals
   * that of one big batch. 0 gives a loss of 0.
   */
  numItemsInBatch?: number;
  /** $\varepsilon \in [0, 1]$: $\ell = (1-\varepsilon)\,\mathrm{nll} + \varepsilon \cdot \mathrm{mean}_v(-\log p_v)$. Default 0. */
  labelSmoothing?: number;
  /** $\lambda \ge 0$: adds $\lambda\,\mathrm{lse}^2$ per counted position (PaLM's z-loss). Default 0. */
  zLoss?: number;
  /** Per-position weights $w_t \ge 0$ of the labels' shape: $\mathrm{sum} = \sum w_t \ell_t$, $\mathrm{count} = \sum w_t$. */
  weights?: WeightsInput;
  /**
   * Check that every label is in $[0, V)$ or the ignore index, and weights are finite and ≥ 0.
   * Default `true`. On synchronous backends (`cpu`, `wasm`) label tensors are read back to do it,
   * which costs one copy of the labels (negligible next to the logits); on asynchronous backends
   * (WebGL, WebGPU) tensors are not read (that would stall the pipeline) and only typed-array labels
   * are checked. Pass `false` to skip the check where labels are known to be valid.
   */
  validateLabels?: boolean;
}

/** {@link TokenLossOptions} with every default filled in. */
export interface ResolvedTokenLossOptions {
  ignoreIndex: number;
  shift: boolean;
  reduction: TokenLossReduction;
  numItemsInBatch: number | undefined;
  labelSmoothing: number;
  zLoss: number;
  weights: WeightsInput | undefined;
  validateLabels: boolean;
}

/** The option names of {@link TokenLossOptions}. */
export const TOKEN_LOSS_OPTION_KEYS = [
  'ignoreIndex',
  'shift',
  'reduction',
  'numItemsInBatch',
  'labelSmoothing',
  'zLoss',
  'weights',
  'validateLabels',
] as const;

/** Validates token-loss options and fills in the defaults. */
export function resolveTokenLossOptions(
  functionName: string,
  options: TokenLossOptions | undefined,
  extraKeys: readonly string[] = [],
): ResolvedTokenLossOptions {
  checkOptionKeys(functionName, options, [...TOKEN_LOSS_OPTION_KEYS, ...extraKeys]);
  const given: TokenLossOptions = options ?? {};
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const ignoreIndex = resolveIgnoreIndex(functionName, given.ignoreIndex);
  const reduction = checkOneOf(
    site('reduction'),
    given.reduction,
    ['mean', 'sum', 'none'] as const,
    'mean',
  );
  let numItemsInBatch: number | undefined;
  if (given.numItemsInBatch !== undefined) {
    numItemsInBatch = checkNumberInRange(
      site('numItemsInBatch'),
      given.numItemsInBatch,
      { min: 0 },
      "pass the total count of scored positions over the accumulation window (sum of each micro-batch's `count`).",
    );
    if (reduction !== 'mean') {
      throw new InvalidArgumentError({
        ...site('numItemsInBatch'),
        expected: `no numItemsInBatch with reduction '${reduction}' (it is the normaliser of 'mean')`,
        received: numItemsInBatch,
        fix: "drop numItemsInBatch, or use reduction 'mean'.",
      });
    }
  }
  const labelSmoothing = checkFiniteNumber(
    site('labelSmoothing'),
    given.labelSmoothing,
    { min: 0, max: 1 },
    'pass ε between 0 and 1 (typically 0.1).',
    0,
  );
  const zLoss = checkFiniteNumber(
    site('zLoss'),
    given.zLoss,
    { min: 0 },
    'pass λ ≥ 0 (PaLM used 1e-4).',
    0,
  );
  return {
    ignoreIndex,
    shift: checkBoolean(site('shift'), given.shift, false),
    reduction,
    numItemsInBatch,
    labelSmoothing,
    zLoss,
    weights: given.weights,
    validateLabels: checkBoolean(site('validateLabels'), given.validateLabels, true),
  };
}
