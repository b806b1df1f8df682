import { isVariable } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Options of a single forward call through an adapter. */
export interface LoraApplyOptions {
  /** Apply the adapter-input dropout (training only). Default `false`. */
  training?: boolean;
}

/**
 * A LoRA adapter on one dense kernel $W$ `[in, out]` (the `tf.layers` layout, $y = xW + b$):
 * $$y = x W + b + s\,(\mathrm{dropout}(x)\,A)\,B, \quad A \in \mathbb{R}^{\mathrm{in}\times r},\ B \in \mathbb{R}^{r\times\mathrm{out}},\ s = \alpha/r \text{ or } \alpha/\sqrt r.$$
 * The base kernel and bias are frozen; only $A$ and $B$ train.
 */
export interface LoraAdapter {
  /** The name of the adapted linear, e.g. `'layer0/attention/query'`. */
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  /** $s = \alpha/r$, or $\alpha/\sqrt r$ with rsLoRA. */
  readonly scaling: number;
  readonly dropout: number;
  /** The frozen base kernel `[in, out]` (merging writes into it). */
  readonly kernel: tf.Variable;
  /** The frozen base bias `[out]`, if any. */
  readonly bias: tf.Variable | undefined;
  /** The down-projection $A$ `[in, r]` (trainable). */
  readonly a: tf.Variable;
  /** The up-projection $B$ `[r, out]` (trainable). */
  readonly b: tf.Variable;
  /** Whether $s\,AB$ is currently added into `kernel`. */
  readonly merged: boolean;
  /**
   * The adapted layer's output for `x` `[..., in]`: float32 `[..., out]`, caller-owned. When merged,
   * the (merged) kernel alone. Differentiable w.r.t. `x`, $A$ and $B$ with wasm-fast products.
   */
  apply(x: tf.Tensor, options?: LoraApplyOptions): tf.Tensor;
  /** The update $\Delta W = s\,A B$ `[in, out]`, caller-owned. */
  delta(): tf.Tensor2D;
  /** $W \leftarrow W + s\,AB$ (float32). Throws if already merged. */
  merge(): void;
  /** Like {@link LoraAdapter.merge}, but refuses (leaving $W$ unchanged) if the result is not finite. */
  safeMerge(): void;
  /** $W \leftarrow W - s\,AB$. Throws if not merged. */
  unmerge(): void;
  /** $[A, B]$: what an optimiser should train. */
  trainableWeights(): tf.Variable[];
  /** Frees $A$ and $B$ (when this adapter created them); the base weights are left alone. */
  dispose(): void;
}

/** Whether `value` is a {@link LoraAdapter}-shaped object (for argument checks). */
export function isLoraAdapter(value: unknown): value is LoraAdapter {
  return (
    value != null &&
    typeof value === 'object' &&
    typeof (value as LoraAdapter).apply === 'function' &&
    isVariable((value as LoraAdapter).kernel)
  );
}
