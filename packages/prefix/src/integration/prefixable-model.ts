import type * as tf from '@tensorflow/tfjs-core';
import type { PrefixKeyValues } from '../encoder/prefix-key-values';
import type { PrefixModelSizes } from '../encoder/prefix-model-sizes';

/**
 * The inputs a prefixable model's forward pass takes: the reference models' common inputs. Only
 * `prefixKeyValues` is what prefix tuning adds.
 */
export interface PrefixableInputs {
  /** int32 `[B, L]` token ids. */
  inputIds: tf.Tensor;
  /** `[B, L]` padding mask over the **real** tokens only (the prefix is not in it). */
  attentionMask?: tf.Tensor;
  /** int32 `[B, L]` positions of the real tokens; the prefix does not shift them. */
  positionIds?: tf.Tensor;
  /** Additive bias `[B|1, 1, L|1, L]` over the real tokens (e.g. a packed rows' mask). */
  attentionBias?: tf.Tensor;
  /** Per layer, keys and values `[B|1, kvHeads, P, headSize]` prepended to that layer's own. */
  prefixKeyValues?: readonly PrefixKeyValues[];
}

/**
 * **The hook a model must offer for prefix tuning** — what `createCausalDecoder` (and the other
 * models of `@lm-objectives/models`) implement. A model qualifies when its forward pass:
 *
 * 1. takes `inputs.prefixKeyValues`, one `{ key, value }` per layer, each float32
 *    `[B|1, kvHeads, P, headSize]` (batch 1 means shared by every row: broadcast it), with
 *    `kvHeads` = `config.numKeyValueHeads` (grouped-query attention) or `config.numHeads`;
 * 2. in layer $\ell$, attends over $[K^{\mathrm{prefix}}_\ell; K_\ell]$ and $[V^{\mathrm{prefix}}_\ell; V_\ell]$
 *    (the prefix first, along the key axis), so the key length is $P + L$ while queries, outputs
 *    and labels keep length $L$;
 * 3. extends its attention mask/bias `[…, L, L]` to `[…, L, P + L]` with $P$ leading columns that
 *    every query may see (bias 0), whatever the causal, padding or segment masks say;
 * 4. leaves the real tokens' position ids unchanged (position $0$ is still the first real token);
 * 5. lets gradients flow into the prefix tensors.
 *
 * `config` gives the sizes the prefix must match.
 *
 * @typeParam Outputs what the forward pass returns.
 */
export interface PrefixableModel<Outputs = unknown> {
  /** At least `numLayers`, `numHeads` and `headSize`; `numKeyValueHeads` with grouped-query attention. */
  readonly config: PrefixModelSizes;
  /** The forward pass; with `inputs.prefixKeyValues` it must honour the five rules above. */
  apply(inputs: PrefixableInputs, options?: { training?: boolean }): Outputs;
}
