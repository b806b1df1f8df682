// Runs in the browser (bundled by esbuild for the e2e test): IndexedDB saves that are aborted at
// each of their requests, or cut off by a terminated worker or a closed page, must leave the
// previous checkpoint bit-identical, and the next save must leave no orphan chunk.
import {
  CheckpointSaveError,
  createTrainer,
  loadCheckpointFromIndexedDb,
  saveCheckpointToIndexedDb,
  type TrainingCheckpoint,
} from '../src/index';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
} from '../src/test-support/trainer-fixtures';

const CHUNK_BYTES = 1024;

/** SHA-256 of a checkpoint's manifest (as JSON) and of every array's bytes, as hex. */
export async function fingerprint(checkpoint: TrainingCheckpoint): Promise<string> {
  const parts = [
    new TextEncoder().encode(JSON.stringify(checkpoint.manifest)),
    ...checkpoint.arrays.map(
      (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
    ),
  ];
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  const digest = await crypto.subtle.digest('SHA-256', joined);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Checkpoints of the tiny run after one, two and three steps (three chunks of 1 KiB each). */
export async function smallCheckpoints(): Promise<TrainingCheckpoint[]> {
  const model = createTinyModel();
  const trainer = createTrainer({ objective: createTinyObjective(), model, seed: 4 });
  const checkpoints: TrainingCheckpoint[] = [];
  for (let step = 0; step < 3; step++) {
    trainer.trainStep([makeTinyBatch(patternExamples(2, 5 + step, step))]);
    const checkpoint = await trainer.saveCheckpoint({ step });
    checkpoints.push({
      manifest: checkpoint.manifest,
      arrays: checkpoint.arrays.map((array) => array.slice()),
    });
  }
  trainer.dispose();
  model.dispose();
  return checkpoints;
}

/** A fresh trainer's checkpoint of a model with 4.5 million weights (54 MB with the moments). */
export async function largeCheckpoint(): Promise<TrainingCheckpoint> {
  const model = createTinyModel({ vocabularySize: 4096, hiddenSize: 512 });
  const trainer = createTrainer({ objective: createTinyObjective(4096), model });
  const checkpoint = await trainer.saveCheckpoint();
  const copy = {
    manifest: checkpoint.manifest,
    arrays: checkpoint.arrays.map((array) => array.slice()),
  };
  trainer.dispose();
  model.dispose();
  return copy;
}

/** The chunk keys stored under `name`. */
export function chunkKeys(name: string): Promise<IDBValidKey[]> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('lm-objectives-checkpoints');
    opening.onsuccess = () => {
      const reading = opening.result.transaction('chunks').objectStore('chunks').getAllKeys();
      reading.onsuccess = () => {
        opening.result.close();
        resolve(reading.result.filter((key) => Array.isArray(key) && key[0] === name));
      };
      reading.onerror = () => reject(reading.error);
    };
    opening.onerror = () => reject(opening.error);
  });
}

/** How many chunks of {@link CHUNK_BYTES} a checkpoint is stored in. */
function chunkCount(checkpoint: TrainingCheckpoint): number {
  return Math.ceil(
    checkpoint.arrays.reduce((sum, array) => sum + array.byteLength, 0) / CHUNK_BYTES,
  );
}

const REQUEST_METHODS = ['get', 'put', 'delete', 'getAllKeys'] as const;

/**
 * Counts every object-store request made while `body` runs; when `abortAt` is given, the request
 * with that number aborts its transaction just before it is made (as a quota error, a closed
 * connection or a browser shutdown would).
 */
async function withRequests<T>(abortAt: number | undefined, body: () => Promise<T>) {
  const prototype = IDBObjectStore.prototype as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const originals = REQUEST_METHODS.map((name) => prototype[name]!);
  let count = 0;
  REQUEST_METHODS.forEach((name, index) => {
    prototype[name] = function (this: IDBObjectStore, ...args: unknown[]) {
      if (count++ === abortAt) this.transaction.abort();
      return originals[index]!.apply(this, args);
    };
  });
  try {
    return {
      result: await body().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      count,
    };
  } finally {
    REQUEST_METHODS.forEach((name, index) => {
      prototype[name] = originals[index]!;
    });
  }
}

/**
 * For every request of a save that replaces a checkpoint: save the previous one, abort the
 * replacing save at that request, check that the previous checkpoint loads bit-identical, then
 * save a third one and check that exactly its chunks are stored.
 */
export async function abortEachRequest() {
  const [previous, next, after] = (await smallCheckpoints()) as [
    TrainingCheckpoint,
    TrainingCheckpoint,
    TrainingCheckpoint,
  ];
  const [previousPrint, afterPrint] = [await fingerprint(previous), await fingerprint(after)];
  await saveCheckpointToIndexedDb(previous, { name: 'counted', chunkBytes: CHUNK_BYTES });
  const { count: requests } = await withRequests(undefined, () =>
    saveCheckpointToIndexedDb(next, { name: 'counted', chunkBytes: CHUNK_BYTES }),
  );
  let lost = 0;
  let untyped = 0;
  let orphans = 0;
  for (let at = 0; at < requests; at++) {
    const name = `abort-${at}`;
    await saveCheckpointToIndexedDb(previous, { name, chunkBytes: CHUNK_BYTES });
    const { result } = await withRequests(at, () =>
      saveCheckpointToIndexedDb(next, { name, chunkBytes: CHUNK_BYTES }),
    );
    const error = 'error' in result ? result.error : undefined;
    if (!(CheckpointSaveError.isInstance(error) && error.committed === false)) untyped++;
    if ((await fingerprint(await loadCheckpointFromIndexedDb({ name }))) !== previousPrint) lost++;
    await saveCheckpointToIndexedDb(after, { name, chunkBytes: CHUNK_BYTES });
    if ((await fingerprint(await loadCheckpointFromIndexedDb({ name }))) !== afterPrint) lost++;
    if ((await chunkKeys(name)).length !== chunkCount(after)) orphans++;
  }
  return { requests, aborted: requests, lost, untyped, orphans };
}
