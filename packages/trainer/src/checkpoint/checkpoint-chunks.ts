import { describeValue, InvalidArgumentError } from '@lm-objectives/core';
import { CorruptCheckpointError } from '../errors/corrupt-checkpoint-error';
import { crc32 } from '../internal/crc32';
import { checkCheckpointManifest, entrySize } from './check-checkpoint-manifest';
import type { CheckpointManifest, TrainingCheckpoint } from './training-checkpoint';

/** One stored chunk's size and checksum. */
export interface ChunkRecord {
  readonly byteLength: number;
  readonly crc32: number;
}

/** A manifest as a store writes it: the checkpoint's manifest plus the chunk list. */
export interface StoredManifest extends CheckpointManifest {
  /** `'little-endian'`: the byte order of the values (every platform tfjs runs on). */
  readonly byteOrder: 'little-endian';
  readonly chunks: readonly ChunkRecord[];
}

/**
 * What a store writes as its manifest: the stored manifest and its checksum,
 * `'crc32:' + hex(CRC-32(JSON.stringify(manifest)))`, so that an edited or damaged manifest is
 * detected before any of its fields is used (JSON text written by `JSON.stringify` parses back to
 * a value that stringifies to the same text, so the check needs no canonical form).
 */
export interface ManifestDocument {
  readonly checksum: string;
  readonly manifest: StoredManifest;
}

/** The largest chunk a store may use (2 GiB − 1: typed arrays and IndexedDB values stay safe below it). */
export const MAX_CHUNK_BYTES = 2 ** 31 - 1;

/** Checks a chunk size option. */
export function checkChunkBytes(chunkBytes: unknown, functionName: string): number {
  if (
    !(
      typeof chunkBytes === 'number' &&
      Number.isInteger(chunkBytes) &&
      chunkBytes >= 1024 &&
      chunkBytes <= MAX_CHUNK_BYTES
    )
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.chunkBytes',
      expected: `an integer in [1024, ${MAX_CHUNK_BYTES}]`,
      received: chunkBytes,
      fix: 'pass a chunk size such as 16 * 1024 * 1024.',
    });
  }
  return chunkBytes;
}

function bytesOf(array: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The checkpoint's values as consecutive chunks of at most `chunkBytes` bytes (a tensor may span
 * several chunks), so that a store never needs one buffer as large as the whole model.
 */
export function* checkpointChunks(
  checkpoint: TrainingCheckpoint,
  chunkBytes: number,
): Generator<Uint8Array> {
  let chunk = new Uint8Array(0);
  let filled = 0;
  let remaining = checkpoint.arrays.reduce((sum, array) => sum + array.byteLength, 0);
  for (const array of checkpoint.arrays) {
    const bytes = bytesOf(array);
    let offset = 0;
    while (offset < bytes.length) {
      if (filled === chunk.length) {
        chunk = new Uint8Array(Math.min(chunkBytes, remaining));
        filled = 0;
      }
      const take = Math.min(bytes.length - offset, chunk.length - filled);
      chunk.set(bytes.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      remaining -= take;
      if (filled === chunk.length) yield chunk;
    }
  }
}

/** A chunk's record (size and CRC-32). */
export function chunkRecord(chunk: Uint8Array): ChunkRecord {
  return { byteLength: chunk.byteLength, crc32: crc32(chunk) };
}

function checksumOf(manifest: unknown): string {
  const text = new TextEncoder().encode(JSON.stringify(manifest));
  return `crc32:${crc32(text).toString(16).padStart(8, '0')}`;
}

/** A stored manifest with its checksum. */
export function sealManifest(manifest: StoredManifest): ManifestDocument {
  return { checksum: checksumOf(manifest), manifest };
}

/** The manifest document a store writes for `checkpoint` split into chunks with these records. */
export function manifestDocument(
  checkpoint: TrainingCheckpoint,
  chunks: readonly ChunkRecord[],
): ManifestDocument {
  return sealManifest({ ...checkpoint.manifest, byteOrder: 'little-endian', chunks });
}

function checkChunkList(value: unknown, manifest: CheckpointManifest): readonly ChunkRecord[] {
  const chunks = value as ChunkRecord[];
  const valid =
    Array.isArray(chunks) &&
    chunks.every(
      (chunk) =>
        chunk !== null &&
        typeof chunk === 'object' &&
        Object.keys(chunk).length === 2 &&
        Number.isInteger(chunk.byteLength) &&
        chunk.byteLength >= 1 &&
        chunk.byteLength <= MAX_CHUNK_BYTES &&
        Number.isInteger(chunk.crc32) &&
        chunk.crc32 >= 0 &&
        chunk.crc32 < 2 ** 32,
    );
  const expectedBytes = manifest.tensors.reduce((sum, entry) => sum + 4 * entrySize(entry), 0);
  const storedBytes = valid ? chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) : -1;
  if (!valid || storedBytes !== expectedBytes) {
    throw new InvalidArgumentError({
      functionName: 'checkManifestDocument',
      argumentName: 'manifest.chunks',
      expected: `chunk records { byteLength, crc32 } totalling the tensors' ${expectedBytes} bytes`,
      received: value,
      receivedDescription: valid ? `chunks of ${storedBytes} bytes` : undefined,
      fix: 'use the checkpoint as the store wrote it.',
    });
  }
  return chunks;
}

/**
 * Checks a manifest document read from a store: its checksum first, then every field (see
 * `checkCheckpointManifest`) and the chunk list against the tensors' sizes. Any problem is a
 * {@link CorruptCheckpointError} naming `location`.
 */
export function checkManifestDocument(
  value: unknown,
  functionName: string,
  location: string,
): StoredManifest {
  const corrupt = (problem: string, cause?: unknown, fix?: string) =>
    new CorruptCheckpointError({
      functionName,
      location,
      problem,
      ...(fix === undefined ? {} : { fix }),
      ...(cause === undefined ? {} : { cause }),
    });
  const document = value as Partial<ManifestDocument> | null;
  if (
    document === null ||
    typeof document !== 'object' ||
    typeof document.checksum !== 'string' ||
    document.manifest === null ||
    typeof document.manifest !== 'object'
  ) {
    throw corrupt('it is not a checkpoint manifest ({ checksum, manifest })');
  }
  const actual = checksumOf(document.manifest);
  if (actual !== document.checksum) {
    throw corrupt(
      `its content does not match its checksum (${actual}, recorded ${document.checksum}): it was edited or damaged`,
    );
  }
  const { byteOrder, chunks, ...rest } = document.manifest;
  try {
    if (byteOrder !== 'little-endian') {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'manifest.byteOrder',
        expected: "'little-endian'",
        received: byteOrder,
        fix: 'use the checkpoint as the store wrote it.',
      });
    }
    const manifest = checkCheckpointManifest(rest, functionName, 'manifest');
    return { ...manifest, byteOrder, chunks: checkChunkList(chunks, manifest) };
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw corrupt(
      `field '${error.argumentName}' is invalid: expected ${error.expected}; received ${describeValue(error.received)}`,
      error,
      error.fix,
    );
  }
}

/** Where a chunk comes from, for errors: a file path or an IndexedDB key. */
export type ChunkReader = (index: number) => Promise<Uint8Array>;

/**
 * Rebuilds a checkpoint from a checked manifest and its chunks, reading one chunk at a time and
 * checking each chunk's length and CRC-32 against the manifest; a mismatch is a
 * {@link CorruptCheckpointError} naming `chunkLocation(index)`.
 */
export async function assembleCheckpoint(
  manifest: StoredManifest,
  readChunk: ChunkReader,
  functionName: string,
  chunkLocation: (index: number) => string,
): Promise<TrainingCheckpoint> {
  const arrays = manifest.tensors.map((entry) =>
    entry.dtype === 'int32' ? new Int32Array(entrySize(entry)) : new Float32Array(entrySize(entry)),
  );
  let arrayIndex = 0;
  let arrayOffset = 0;
  for (let chunkIndex = 0; chunkIndex < manifest.chunks.length; chunkIndex++) {
    const record = manifest.chunks[chunkIndex]!;
    const chunk = await readChunk(chunkIndex);
    if (chunk.byteLength !== record.byteLength || crc32(chunk) !== record.crc32) {
      throw new CorruptCheckpointError({
        functionName,
        location: chunkLocation(chunkIndex),
        problem:
          chunk.byteLength === record.byteLength
            ? 'its checksum does not match the manifest'
            : `it holds ${chunk.byteLength} bytes where the manifest records ${record.byteLength}`,
      });
    }
    let offset = 0;
    while (offset < chunk.byteLength) {
      while (arrays[arrayIndex]!.byteLength === arrayOffset) {
        arrayIndex++;
        arrayOffset = 0;
      }
      const target = bytesOf(arrays[arrayIndex]!);
      const take = Math.min(chunk.byteLength - offset, target.byteLength - arrayOffset);
      target.set(chunk.subarray(offset, offset + take), arrayOffset);
      offset += take;
      arrayOffset += take;
    }
  }
  const { byteOrder: _byteOrder, chunks: _chunks, ...checkpointManifest } = manifest;
  return { manifest: checkpointManifest, arrays };
}
