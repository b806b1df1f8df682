/** The `format` field of every prefix checkpoint. */
export const PREFIX_CHECKPOINT_FORMAT = 'lm-objectives/prefix';

/**
 * The checkpoint format version this package writes and reads: 2, a safetensors file with a
 * content checksum (version 1, an unreleased binary format without a checksum, is refused with a fix).
 */
export const PREFIX_CHECKPOINT_VERSION = 2;

/**
 * The layout of {@link PrefixCheckpoint.keyValues}, recorded in the metadata. The head axis has the
 * model's key/value heads (`numHeads` without grouped-query attention).
 */
export const PREFIX_LAYOUT =
  '[numLayers, 2 (key, value), numKeyValueHeads, numVirtualTokens, headSize]';

/**
 * The layout string of checkpoints written before `numKeyValueHeads` was recorded: the same order,
 * read with `numKeyValueHeads` = `numHeads`.
 * @internal
 */
export const PREFIX_LAYOUT_BEFORE_KEY_VALUE_HEADS =
  '[numLayers, 2 (key, value), numHeads, numVirtualTokens, headSize]';

/** What a prefix checkpoint records besides the values: enough to apply it correctly, or refuse. */
export interface PrefixCheckpointMetadata {
  readonly format: typeof PREFIX_CHECKPOINT_FORMAT;
  readonly formatVersion: typeof PREFIX_CHECKPOINT_VERSION;
  /** $P$. */
  readonly numVirtualTokens: number;
  readonly numLayers: number;
  /** The model's query heads. */
  readonly numHeads: number;
  /**
   * The model's key/value heads, the head axis of the values (equal to `numHeads` without
   * grouped-query attention; checkpoints written before it was recorded read as `numHeads`).
   */
  readonly numKeyValueHeads: number;
  readonly headSize: number;
  /** Always {@link PREFIX_LAYOUT}. */
  readonly layout: typeof PREFIX_LAYOUT;
  /** Whether it was trained through the reparameterising MLP (informational: the MLP is not saved). */
  readonly trainedWithProjection: boolean;
}

/**
 * An exported prefix: the projected keys and values only (no MLP), float32 in
 * {@link PREFIX_LAYOUT} order — $L \cdot 2 \cdot n_{kv} \cdot P \cdot d$ values.
 */
export interface PrefixCheckpoint {
  readonly metadata: PrefixCheckpointMetadata;
  readonly keyValues: Float32Array;
}
