import type { LoraInitialization } from '../adapter/lora-options';

/** The format name written into every adapter checkpoint. */
export const LORA_CHECKPOINT_FORMAT = 'lm-objectives/lora-adapters';

/** The checkpoint format version this package writes and reads. */
export const LORA_CHECKPOINT_VERSION = 1;

/** How the adapter weights are laid out: $W' = W + s\,A B$ with $W$ `[in, out]`, $A$ `[in, r]`, $B$ `[r, out]`. */
export const LORA_LAYOUT = 'kernel[in,out] + scaling * A[in,r] @ B[r,out]';

/** One adapted linear in a checkpoint. */
export interface LoraCheckpointTarget {
  /** The adapted linear's name (a layer name for `tf.layers` models). */
  readonly name: string;
  /** The base kernel's shape `[in, out]`; loading onto another shape is refused. */
  readonly baseShape: readonly [number, number];
  /** Where $A$ (`in·r` float32 values, row-major) starts in `weights`, in elements. */
  readonly aOffset: number;
  /** Where $B$ (`r·out` values) starts in `weights`, in elements. */
  readonly bOffset: number;
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
  readonly dtype: 'float32';
  readonly targets: readonly LoraCheckpointTarget[];
  /** Total number of adapter values in `weights`. */
  readonly adapterParameters: number;
}

/** Adapter weights only, with their metadata. Encode it to bytes with `encodeLoraCheckpoint`. */
export interface LoraCheckpoint {
  readonly metadata: LoraCheckpointMetadata;
  /** Every $A$ then $B$ of every target, row-major float32, at the offsets the metadata gives. */
  readonly weights: Float32Array;
}
