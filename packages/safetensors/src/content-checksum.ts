import { updateCrc32 } from './crc32';

/**
 * The `__metadata__` key under which {@link writeSafetensors} (with `checksum: true`) stores the
 * file's content checksum, and which {@link readSafetensors} verifies whenever it is present.
 */
export const CHECKSUM_METADATA_KEY = 'content_crc32';

/** One tensor as stored: its name, dtype, shape and raw little-endian bytes. */
export interface StoredTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

const encoder = new TextEncoder();

/** Feeds a string as its UTF-8 byte length (u32 little-endian) and bytes, so that no two sequences of strings collide. */
function updateWithText(state: number, text: string): number {
  const bytes = encoder.encode(text);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length, true);
  return updateCrc32(updateCrc32(state, length), bytes);
}

/**
 * The checksum of a file's content, independent of its byte layout (tensor order, padding): the
 * CRC-32 of, in order, every `__metadata__` entry but {@link CHECKSUM_METADATA_KEY} (keys sorted,
 * each key and value as a UTF-8 length and text), then every tensor sorted by name (its name, its
 * dtype and its shape joined by commas, each as a UTF-8 length and text, then its raw bytes).
 * Sorting is by UTF-16 code units (JavaScript's default order). Returns 8 lowercase hex digits.
 *
 * A flipped, lost or swapped byte in the data, a changed metadata value, dtype or shape, or a
 * renamed tensor changes the checksum; re-laying out the same content does not.
 */
export function contentChecksum(
  metadata: Readonly<Record<string, string>>,
  tensors: readonly StoredTensor[],
): string {
  let state = 0xffffffff;
  for (const key of Object.keys(metadata).sort()) {
    if (key === CHECKSUM_METADATA_KEY) continue;
    state = updateWithText(updateWithText(state, key), metadata[key]!);
  }
  const byName = [...tensors].sort((left, right) =>
    left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
  );
  for (const tensor of byName) {
    state = updateWithText(state, tensor.name);
    state = updateWithText(state, tensor.dtype);
    state = updateWithText(state, tensor.shape.join(','));
    state = updateCrc32(state, tensor.bytes);
  }
  return (~state >>> 0).toString(16).padStart(8, '0');
}
