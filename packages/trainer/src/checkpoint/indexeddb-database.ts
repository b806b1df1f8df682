import { InvalidArgumentError } from '@lm-objectives/core';
import type { ManifestDocument } from './checkpoint-chunks';

/** Where a checkpoint lives in IndexedDB. */
export interface IndexedDbCheckpointLocation {
  /** The checkpoint's name within the database, e.g. `'tiny-lm'`. */
  name: string;
  /** The database. Default `'lm-objectives-checkpoints'`. */
  databaseName?: string;
  /** The IndexedDB factory. Default `globalThis.indexedDB` (pass one in workers or tests). */
  indexedDB?: IDBFactory;
}

/** The database every IndexedDB checkpoint goes into unless `databaseName` says otherwise. */
export const DEFAULT_DATABASE = 'lm-objectives-checkpoints';
/** Object store of manifest records, keyed by checkpoint name. */
export const MANIFESTS = 'manifests';
/** Object store of chunks, keyed by `[name, generation, index]`. */
export const CHUNKS = 'chunks';

/** A checkpoint's record in {@link MANIFESTS}: its generation (the chunks' key part) and manifest. */
export interface ManifestRecord {
  readonly generation: number;
  readonly document: ManifestDocument;
}

/** The factory and names of a location, checked. */
export interface ResolvedLocation {
  readonly factory: IDBFactory;
  readonly name: string;
  readonly databaseName: string;
}

/** Checks a location (its keys, name, database name and factory). */
export function resolveLocation(
  location: IndexedDbCheckpointLocation,
  functionName: string,
): ResolvedLocation {
  if (location === null || typeof location !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      expected: '{ name, databaseName?, indexedDB? }',
      received: location,
      fix: "pass e.g. { name: 'tiny-lm' }.",
    });
  }
  const factory = location.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory == null || typeof factory.open !== 'function') {
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
  const databaseName = location.databaseName ?? DEFAULT_DATABASE;
  if (typeof databaseName !== 'string' || databaseName === '') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.databaseName',
      expected: 'a non-empty database name',
      received: databaseName,
      fix: `leave it out to use '${DEFAULT_DATABASE}'.`,
    });
  }
  return { factory, name: location.name, databaseName };
}

/** Opens (creating on first use) the checkpoint database. */
export function openDatabase(factory: IDBFactory, databaseName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = factory.open(databaseName, 1);
    opening.onupgradeneeded = () => {
      const database = opening.result;
      if (!database.objectStoreNames.contains(MANIFESTS)) database.createObjectStore(MANIFESTS);
      if (!database.objectStoreNames.contains(CHUNKS)) database.createObjectStore(CHUNKS);
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () =>
      reject(new Error(`opening '${databaseName}' is blocked by another tab`));
  });
}

/**
 * Runs `body` in one transaction over both stores and resolves when the transaction commits
 * (rejects when it aborts: then none of its writes happened). `body` must issue its requests
 * synchronously or from request callbacks, never after an `await`, or the transaction commits early.
 */
export function inTransaction(
  database: IDBDatabase,
  mode: IDBTransactionMode,
  body: (transaction: IDBTransaction, fail: (error: unknown) => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = database.transaction([MANIFESTS, CHUNKS], mode);
    let failure: unknown;
    const fail = (error: unknown) => {
      failure ??= error;
      try {
        transaction.abort();
      } catch {
        // Already finished.
      }
    };
    transaction.oncomplete = () => (failure === undefined ? resolve() : reject(failure));
    transaction.onabort = () =>
      reject(failure ?? transaction.error ?? new Error('the IndexedDB transaction was aborted'));
    try {
      body(transaction, fail);
    } catch (error) {
      fail(error);
    }
  });
}

/** Deletes every chunk of `name` except those of `keepGeneration` (all of them when undefined). */
export function deleteOtherChunks(
  chunks: IDBObjectStore,
  name: string,
  keepGeneration: number | undefined,
  fail: (error: unknown) => void,
): void {
  const keys = chunks.getAllKeys();
  keys.onsuccess = () => {
    try {
      for (const key of keys.result) {
        if (Array.isArray(key) && key[0] === name && key[1] !== keepGeneration) chunks.delete(key);
      }
    } catch (error) {
      fail(error);
    }
  };
}
