import { InvalidArgumentError } from '@lm-objectives/core';
import {
  assembleCheckpoint,
  type ChunkRecord,
  checkChunkBytes,
  checkpointChunks,
  checkStoredManifest,
  chunkRecord,
  type StoredManifest,
  storedManifest,
} from './checkpoint-chunks';
import type { TrainingCheckpoint } from './training-checkpoint';

/** Where a checkpoint lives in IndexedDB. */
export interface IndexedDbCheckpointLocation {
  /** The checkpoint's name within the database, e.g. `'tiny-lm'`. */
  name: string;
  /** The database. Default `'lm-objectives-checkpoints'`. */
  databaseName?: string;
  /** The IndexedDB factory. Default `globalThis.indexedDB` (pass one in workers or tests). */
  indexedDB?: IDBFactory;
}

/** Options of {@link saveCheckpointToIndexedDb}. */
export interface SaveCheckpointToIndexedDbOptions extends IndexedDbCheckpointLocation {
  /** The largest value stored in one record, in bytes. Default 16 MiB. */
  chunkBytes?: number;
}

const DEFAULT_DATABASE = 'lm-objectives-checkpoints';
const MANIFESTS = 'manifests';
const CHUNKS = 'chunks';
const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

interface ManifestRecord {
  readonly generation: number;
  readonly manifest: StoredManifest;
}

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result);
    operation.onerror = () => reject(operation.error);
  });
}

function finished(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () =>
      reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function factoryOf(location: IndexedDbCheckpointLocation, functionName: string): IDBFactory {
  const factory = location.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory == null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.indexedDB',
      expected: 'an IDBFactory (globalThis.indexedDB in browsers and workers)',
      received: factory,
      fix: 'run in a browser or worker, pass options.indexedDB, or save to files with @lm-objectives/trainer/node in Node.',
    });
  }
  if (typeof location.name !== 'string' || location.name === '') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.name',
      expected: 'a non-empty checkpoint name',
      received: location.name,
      fix: "name the checkpoint, e.g. { name: 'tiny-lm' }.",
    });
  }
  return factory;
}

function openDatabase(factory: IDBFactory, databaseName: string): Promise<IDBDatabase> {
  const opening = factory.open(databaseName, 1);
  opening.onupgradeneeded = () => {
    const database = opening.result;
    if (!database.objectStoreNames.contains(MANIFESTS)) database.createObjectStore(MANIFESTS);
    if (!database.objectStoreNames.contains(CHUNKS)) database.createObjectStore(CHUNKS);
  };
  return request(opening);
}

/** Deletes a generation's chunks by key (their number is in its manifest; no IDBKeyRange needed). */
function deleteChunks(store: IDBObjectStore, name: string, record: ManifestRecord): void {
  for (let index = 0; index < record.manifest.chunks.length; index++) {
    store.delete([name, record.generation, index]);
  }
}

/**
 * Saves a checkpoint to IndexedDB in chunks of at most `chunkBytes` (so models larger than one
 * structured-clone value fit). Atomic: the chunks of the new checkpoint are written under a new
 * generation first, and one final transaction swaps the manifest and deletes the previous
 * generation's chunks; a save interrupted before that leaves the previous checkpoint intact.
 */
export async function saveCheckpointToIndexedDb(
  checkpoint: TrainingCheckpoint,
  options: SaveCheckpointToIndexedDbOptions,
): Promise<void> {
  const functionName = 'saveCheckpointToIndexedDb';
  const factory = factoryOf(options, functionName);
  const chunkBytes = checkChunkBytes(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, functionName);
  const database = await openDatabase(factory, options.databaseName ?? DEFAULT_DATABASE);
  try {
    const reading = database.transaction(MANIFESTS, 'readonly');
    const previous = (await request(reading.objectStore(MANIFESTS).get(options.name))) as
      | ManifestRecord
      | undefined;
    const generation = (previous?.generation ?? 0) + 1;
    const records: ChunkRecord[] = [];
    let index = 0;
    for (const chunk of checkpointChunks(checkpoint, chunkBytes)) {
      records.push(chunkRecord(chunk));
      // One transaction per chunk: only one chunk's structured clone is in flight at a time.
      const writing = database.transaction(CHUNKS, 'readwrite');
      const written = finished(writing);
      writing.objectStore(CHUNKS).put(chunk.buffer, [options.name, generation, index++]);
      await written;
    }
    const commit = database.transaction([MANIFESTS, CHUNKS], 'readwrite');
    const committed = finished(commit);
    const record: ManifestRecord = { generation, manifest: storedManifest(checkpoint, records) };
    commit.objectStore(MANIFESTS).put(record, options.name);
    if (previous) deleteChunks(commit.objectStore(CHUNKS), options.name, previous);
    await committed;
  } finally {
    database.close();
  }
}

/** Loads a checkpoint saved by {@link saveCheckpointToIndexedDb}, checking every chunk's CRC-32. */
export async function loadCheckpointFromIndexedDb(
  location: IndexedDbCheckpointLocation,
): Promise<TrainingCheckpoint> {
  const functionName = 'loadCheckpointFromIndexedDb';
  const factory = factoryOf(location, functionName);
  const database = await openDatabase(factory, location.databaseName ?? DEFAULT_DATABASE);
  try {
    const reading = database.transaction(MANIFESTS, 'readonly');
    const record = (await request(reading.objectStore(MANIFESTS).get(location.name))) as
      | ManifestRecord
      | undefined;
    if (record === undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'options.name',
        expected: `the name of a checkpoint saved in '${location.databaseName ?? DEFAULT_DATABASE}'`,
        received: location.name,
        fix: 'save a checkpoint under that name first (saveCheckpointToIndexedDb).',
      });
    }
    const manifest = checkStoredManifest(record.manifest, functionName);
    return await assembleCheckpoint(
      manifest,
      async (index) => {
        const chunkReading = database.transaction(CHUNKS, 'readonly');
        const value = (await request(
          chunkReading.objectStore(CHUNKS).get([location.name, record.generation, index]),
        )) as ArrayBuffer | undefined;
        return new Uint8Array(value ?? new ArrayBuffer(0));
      },
      functionName,
    );
  } finally {
    database.close();
  }
}

/** Deletes a checkpoint saved by {@link saveCheckpointToIndexedDb} (no error if there is none). */
export async function deleteCheckpointFromIndexedDb(
  location: IndexedDbCheckpointLocation,
): Promise<void> {
  const factory = factoryOf(location, 'deleteCheckpointFromIndexedDb');
  const database = await openDatabase(factory, location.databaseName ?? DEFAULT_DATABASE);
  try {
    const transaction = database.transaction([MANIFESTS, CHUNKS], 'readwrite');
    const done = finished(transaction);
    const record = (await request(transaction.objectStore(MANIFESTS).get(location.name))) as
      | ManifestRecord
      | undefined;
    if (record) {
      transaction.objectStore(MANIFESTS).delete(location.name);
      deleteChunks(transaction.objectStore(CHUNKS), location.name, record);
    }
    await done;
  } finally {
    database.close();
  }
}
