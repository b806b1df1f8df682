import { InvalidArgumentError } from '@lm-objectives/core';
import { crc32 } from '../internal/crc32';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointManifest,
  type TrainingCheckpoint,
} from './training-checkpoint';

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

/** The largest chunk a store may use (2 GiB − 1: typed arrays and IndexedDB values stay safe below it). */
export const MAX_CHUNK_BYTES = 2 ** 31 - 1;

/** Checks a chunk size option. */
export function checkChunkBytes(chunkBytes: number, functionName: string): number {
  if (!(Number.isInteger(chunkBytes) && chunkBytes >= 1024 && chunkBytes <= MAX_CHUNK_BYTES)) {
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
  const total = checkpoint.arrays.reduce((sum, array) => sum + array.byteLength, 0);
  let remaining = total;
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

/** The manifest a store writes for `checkpoint` split into the given chunks. */
export function storedManifest(
  checkpoint: TrainingCheckpoint,
  chunks: readonly ChunkRecord[],
): StoredManifest {
  return { ...checkpoint.manifest, byteOrder: 'little-endian', chunks };
}

/** A chunk's record (size and CRC-32). */
export function chunkRecord(chunk: Uint8Array): ChunkRecord {
  return { byteLength: chunk.byteLength, crc32: crc32(chunk) };
}

function corrupt(functionName: string, what: string, received: unknown): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName: 'checkpoint',
    expected: 'a complete checkpoint written by @lm-objectives/trainer',
    received,
    receivedDescription: what,
    fix: 'save the checkpoint again; a save that was interrupted leaves the previous checkpoint in place.',
  });
}

/** Checks that `value` is a manifest this version can read. */
export function checkStoredManifest(value: unknown, functionName: string): StoredManifest {
  const manifest = value as StoredManifest | undefined;
  if (manifest == null || manifest.format !== CHECKPOINT_FORMAT) {
    throw corrupt(functionName, 'no trainer checkpoint manifest', value);
  }
  if (manifest.version !== CHECKPOINT_VERSION) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpoint',
      expected: `checkpoint version ${CHECKPOINT_VERSION}`,
      received: manifest.version,
      fix: 'load it with the version of @lm-objectives/trainer that wrote it.',
    });
  }
  if (manifest.byteOrder !== 'little-endian' || !Array.isArray(manifest.chunks)) {
    throw corrupt(functionName, 'a manifest without its chunk list', value);
  }
  return manifest;
}

/**
 * Rebuilds a checkpoint from its manifest and chunks, reading one chunk at a time and checking each
 * chunk's length and CRC-32.
 */
export async function assembleCheckpoint(
  manifest: StoredManifest,
  readChunk: (index: number) => Promise<Uint8Array>,
  functionName: string,
): Promise<TrainingCheckpoint> {
  const arrays = manifest.tensors.map((entry) => {
    const size = entry.shape.reduce((product, dimension) => product * dimension, 1);
    return entry.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  });
  const expectedBytes = arrays.reduce((sum, array) => sum + array.byteLength, 0);
  const storedBytes = manifest.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  if (expectedBytes !== storedBytes) {
    throw corrupt(
      functionName,
      `chunks of ${storedBytes} bytes for tensors of ${expectedBytes} bytes`,
      manifest,
    );
  }
  let arrayIndex = 0;
  let arrayOffset = 0;
  for (let chunkIndex = 0; chunkIndex < manifest.chunks.length; chunkIndex++) {
    const record = manifest.chunks[chunkIndex]!;
    const chunk = await readChunk(chunkIndex);
    if (chunk.byteLength !== record.byteLength || crc32(chunk) !== record.crc32) {
      throw corrupt(
        functionName,
        `chunk ${chunkIndex} of ${chunk.byteLength} bytes whose checksum does not match the manifest`,
        manifest,
      );
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
