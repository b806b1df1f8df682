import type { LoraInitialization } from '../adapter/lora-options';

/** The format name written into every adapter checkpoint (`__metadata__.format`). */
export const LORA_CHECKPOINT_FORMAT = 'lm-objectives/lora-adapters';

/**
 * The checkpoint format version this package writes and reads: 2, safetensors with a content
 * checksum (version 1, an unreleased binary format without a checksum, is refused with a fix).
 */
export const LORA_CHECKPOINT_VERSION = 2;

/** How the adapter weights are laid out: $W' = W + s\,A B$ with $W$ `[in, out]`, $A$ `[in, r]`, $B$ `[r, out]`. */
export const LORA_LAYOUT = 'kernel[in,out] + scaling * A[in,r] @ B[r,out]';

/** One adapted linear in a checkpoint. */
export interface LoraCheckpointTarget {
  /** The adapted linear's name (a layer name for `tf.layers` models). */
  readonly name: string;
  /** The base kernel's shape `[in, out]`; loading onto another shape is refused. */
  readonly baseShape: readonly [number, number];
}

/**
 * Everything needed to apply saved adapters correctly, with all three scaling settings persisted
 * (adapters loaded with the wrong scaling, $\alpha$ vs $\alpha/r$ vs $\alpha/\sqrt r$, are a bug
 * users of other libraries hit).
 */
export interface LoraCheckpointMetadata {
  readonly format: typeof LORA_CHECKPOINT_FORMAT;
  readonly formatVersion: typeof LORA_CHECKPOINT_VERSION;
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  /** $\alpha/r$ or $\alpha/\sqrt r$, for reference (recomputed and checked on load). */
  readonly scaling: number;
  readonly dropout: number;
  readonly initialization: LoraInitialization;
  readonly layout: typeof LORA_LAYOUT;
  /** The adapted linears, in model order. */
  readonly targets: readonly LoraCheckpointTarget[];
}

/** One target's adapter weights, row-major float32. */
export interface LoraTargetWeights {
  /** $A$ `[in, r]`. */
  readonly a: Float32Array;
  /** $B$ `[r, out]`. */
  readonly b: Float32Array;
}

/** Adapter weights only, with their metadata. Encode it to bytes with `encodeLoraCheckpoint`. */
export interface LoraCheckpoint {
  readonly metadata: LoraCheckpointMetadata;
  /** Each target's $A$ and $B$, by target name. */
  readonly weights: ReadonlyMap<string, LoraTargetWeights>;
}
