import { checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import { CheckpointSaveError } from '../errors/checkpoint-save-error';
import { CorruptCheckpointError } from '../errors/corrupt-checkpoint-error';
import { checkTrainingCheckpoint } from './check-training-checkpoint';
import {
  assembleCheckpoint,
  type ChunkRecord,
  checkChunkBytes,
  checkManifestDocument,
  checkpointChunks,
  chunkRecord,
  manifestDocument,
  type StoredManifest,
} from './checkpoint-chunks';
import {
  CHUNKS,
  deleteOtherChunks,
  type IndexedDbCheckpointLocation,
  inTransaction,
  MANIFESTS,
  type ManifestRecord,
  openDatabase,
  type ResolvedLocation,
  resolveLocation,
} from './indexeddb-database';
import type { TrainingCheckpoint } from './training-checkpoint';

export type { IndexedDbCheckpointLocation } from './indexeddb-database';

/** Options of {@link saveCheckpointToIndexedDb}. */
export interface SaveCheckpointToIndexedDbOptions extends IndexedDbCheckpointLocation {
  /** The largest value stored in one record, in bytes. Default 16 MiB. */
  chunkBytes?: number;
}

const LOCATION_KEYS = ['name', 'databaseName', 'indexedDB'];
const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

function describeLocation(location: ResolvedLocation): string {
  return `IndexedDB '${location.databaseName}', checkpoint '${location.name}'`;
}

/**
 * Saves a checkpoint to IndexedDB in **one transaction**: the chunks (records of at most
 * `chunkBytes`, so models larger than one structured-clone value fit) under a new generation, the
 * manifest record (with its checksum), and the deletion of the previous generation's chunks. The
 * transaction commits all of it or nothing: a save that fails, is aborted, or is cut off by a
 * closed page or a terminated worker leaves the previous checkpoint exactly as it was.
 *
 * The transaction holds a structured clone of every chunk until it commits (about the
 * checkpoint's size in memory). Rejects with a `CheckpointSaveError` (`committed: false`).
 */
export async function saveCheckpointToIndexedDb(
  checkpoint: TrainingCheckpoint,
  options: SaveCheckpointToIndexedDbOptions,
): Promise<void> {
  const functionName = 'saveCheckpointToIndexedDb';
  checkOptionKeys(functionName, options, [...LOCATION_KEYS, 'chunkBytes']);
  const location = resolveLocation(options, functionName);
  const chunkBytes = checkChunkBytes(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, functionName);
  checkTrainingCheckpoint(checkpoint, functionName);
  let operation = 'opening the database';
  try {
    const database = await openDatabase(location.factory, location.databaseName);
    operation = 'writing the checkpoint (one transaction)';
    try {
      await inTransaction(database, 'readwrite', (transaction, fail) => {
        const manifests = transaction.objectStore(MANIFESTS);
        const chunks = transaction.objectStore(CHUNKS);
        const previous = manifests.get(location.name);
        previous.onsuccess = () => {
          try {
            const generation =
              ((previous.result as ManifestRecord | undefined)?.generation ?? 0) + 1;
            const safeGeneration =
              Number.isSafeInteger(generation) && generation > 0 ? generation : 1;
            const records: ChunkRecord[] = [];
            let index = 0;
            for (const chunk of checkpointChunks(checkpoint, chunkBytes)) {
              records.push(chunkRecord(chunk));
              chunks.put(chunk.buffer, [location.name, safeGeneration, index++]);
            }
            const record: ManifestRecord = {
              generation: safeGeneration,
              document: manifestDocument(checkpoint, records),
            };
            manifests.put(record, location.name);
            deleteOtherChunks(chunks, location.name, safeGeneration, fail);
          } catch (error) {
            fail(error);
          }
        };
      });
    } finally {
      database.close();
    }
  } catch (cause) {
    throw new CheckpointSaveError({
      functionName,
      location: describeLocation(location),
      operation,
      committed: false,
      cause,
    });
  }
}

/** Reads the manifest record and every chunk of `location` in one read-only transaction. */
async function readCheckpointRecords(
  database: IDBDatabase,
  location: ResolvedLocation,
  functionName: string,
): Promise<{ record: ManifestRecord; manifest: StoredManifest; chunks: unknown[] } | undefined> {
  let found: { record: ManifestRecord; manifest: StoredManifest; chunks: unknown[] } | undefined;
  await inTransaction(database, 'readonly', (transaction, fail) => {
    const reading = transaction.objectStore(MANIFESTS).get(location.name);
    reading.onsuccess = () => {
      try {
        const record = reading.result as ManifestRecord | undefined;
        if (record === undefined) return;
        const where = `${describeLocation(location)}, manifest record`;
        if (
          record === null ||
          typeof record !== 'object' ||
          !Number.isSafeInteger(record.generation)
        ) {
          throw new CorruptCheckpointError({
            functionName,
            location: where,
            problem: 'it is not a manifest record { generation, document }',
          });
        }
        const manifest = checkManifestDocument(record.document, functionName, where);
        const chunks: unknown[] = [];
        found = { record, manifest, chunks };
        const store = transaction.objectStore(CHUNKS);
        manifest.chunks.forEach((_, index) => {
          const chunk = store.get([location.name, record.generation, index]);
          chunk.onsuccess = () => {
            chunks[index] = chunk.result;
          };
        });
      } catch (error) {
        fail(error);
      }
    };
  });
  return found;
}

/**
 * Loads a checkpoint saved by {@link saveCheckpointToIndexedDb} — manifest record and chunks read
 * in one transaction, so a concurrent save is seen entirely or not at all — verifying the
 * manifest's checksum and every field, and every chunk's size and CRC-32. A damaged record is a
 * `CorruptCheckpointError` naming it.
 */
export async function loadCheckpointFromIndexedDb(
  location: IndexedDbCheckpointLocation,
): Promise<TrainingCheckpoint> {
  const functionName = 'loadCheckpointFromIndexedDb';
  checkOptionKeys(functionName, location, LOCATION_KEYS);
  const resolved = resolveLocation(location, functionName);
  const database = await openDatabase(resolved.factory, resolved.databaseName);
  let found: Awaited<ReturnType<typeof readCheckpointRecords>>;
  try {
    found = await readCheckpointRecords(database, resolved, functionName);
  } finally {
    database.close();
  }
  if (found === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.name',
      expected: `the name of a checkpoint saved in '${resolved.databaseName}'`,
      received: resolved.name,
      fix: 'save a checkpoint under that name first (saveCheckpointToIndexedDb).',
    });
  }
  const { record, manifest, chunks } = found;
  const chunkLocation = (index: number) =>
    `${describeLocation(resolved)}, chunk [${record.generation}, ${index}]`;
  return assembleCheckpoint(
    manifest,
    async (index) => {
      const value = chunks[index];
      chunks[index] = undefined;
      if (!(value instanceof ArrayBuffer)) {
        throw new CorruptCheckpointError({
          functionName,
          location: chunkLocation(index),
          problem:
            value === undefined ? 'the record is missing' : 'the record is not an ArrayBuffer',
        });
      }
      return new Uint8Array(value);
    },
    functionName,
    chunkLocation,
  );
}

/** Deletes a checkpoint saved by {@link saveCheckpointToIndexedDb}, in one transaction (no error if there is none). */
export async function deleteCheckpointFromIndexedDb(
  location: IndexedDbCheckpointLocation,
): Promise<void> {
  const functionName = 'deleteCheckpointFromIndexedDb';
  checkOptionKeys(functionName, location, LOCATION_KEYS);
  const resolved = resolveLocation(location, functionName);
  const database = await openDatabase(resolved.factory, resolved.databaseName);
  try {
    await inTransaction(database, 'readwrite', (transaction, fail) => {
      transaction.objectStore(MANIFESTS).delete(resolved.name);
      deleteOtherChunks(transaction.objectStore(CHUNKS), resolved.name, undefined, fail);
    });
  } finally {
    database.close();
  }
}
