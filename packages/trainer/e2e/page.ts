// The e2e page. `?stage=uninterrupted` trains the whole run; `?stage=save` trains part of it and
// saves a checkpoint to IndexedDB; `?stage=resume` (a new page load) loads it and finishes the run;
// `?stage=worker` trains in a Web Worker and stops it with a message. Each stage leaves its result
// in `window.e2eResult`.
import {
  buildTrainer,
  loadCheckpointFromIndexedDb,
  STOP_AT,
  saveCheckpointToIndexedDb,
  setUpBackend,
  TOTAL_STEPS,
  trainLosses,
} from './browser-run';
import {
  abortEachRequest,
  chunkKeys,
  fingerprint,
  largeCheckpoint,
  smallCheckpoints,
} from './indexeddb-faults';

declare global {
  interface Window {
    e2eResult?: unknown;
    e2eError?: string;
  }
}

const CHUNK_BYTES = 1024; // the tiny run's ~1.8 KB checkpoint spans two chunks

async function stage(name: string): Promise<unknown> {
  await setUpBackend();
  if (name === 'uninterrupted') {
    const run = buildTrainer(7, 11);
    const losses = await trainLosses(run.trainer, TOTAL_STEPS);
    run.dispose();
    return { losses };
  }
  if (name === 'save') {
    const run = buildTrainer(7, 11);
    const losses = await trainLosses(run.trainer, STOP_AT);
    await saveCheckpointToIndexedDb(await run.trainer.saveCheckpoint(), {
      name: 'e2e',
      chunkBytes: CHUNK_BYTES,
    });
    run.dispose();
    return { losses };
  }
  if (name === 'resume') {
    // Other seeds: only the checkpoint can make this run continue the saved one.
    const run = buildTrainer(1234, 999);
    const checkpoint = await loadCheckpointFromIndexedDb({ name: 'e2e' });
    run.trainer.loadCheckpoint(checkpoint);
    const losses = await trainLosses(run.trainer, TOTAL_STEPS);
    run.dispose();
    return { losses, step: checkpoint.manifest.step, tensors: checkpoint.manifest.tensors.length };
  }
  if (name === 'worker') {
    const worker = new Worker('./worker.js', { type: 'module' });
    const stoppedAt = await new Promise<number>((resolve, reject) => {
      worker.onerror = (event) => reject(new Error(event.message));
      worker.onmessage = (
        event: MessageEvent<{ type: string; step: number; message?: string }>,
      ) => {
        const message = event.data;
        if (message.type === 'progress' && message.step === 3) worker.postMessage({ type: 'stop' });
        if (message.type === 'saved') resolve(message.step);
        if (message.type === 'error') reject(new Error(message.message));
      };
      worker.postMessage({ type: 'start' });
    });
    worker.terminate();
    const checkpoint = await loadCheckpointFromIndexedDb({ name: 'worker' });
    return { stoppedAt, savedStep: checkpoint.manifest.step };
  }
  return faultStage(name);
}

/** The stages of the fault tests (`indexeddb-faults.ts`). */
async function faultStage(name: string): Promise<unknown> {
  if (name === 'abort-each-request') return abortEachRequest();
  if (name === 'terminate-worker-mid-save') {
    // The worker saves a small checkpoint, then starts saving a 54 MB one and says so; it is
    // terminated at that moment, with the transaction not yet committed.
    const worker = new Worker('./worker.js', { type: 'module' });
    const previous = await new Promise<string>((resolve, reject) => {
      worker.onerror = (event) => reject(new Error(event.message));
      worker.onmessage = (
        event: MessageEvent<{ type: string; previous?: string; message?: string }>,
      ) => {
        if (event.data.type === 'saving-large') {
          worker.terminate();
          resolve(event.data.previous!);
        }
        if (event.data.type === 'error') reject(new Error(event.data.message));
      };
      worker.postMessage({ type: 'save-then-large', name: 'worker-interrupted' });
    });
    const loaded = await fingerprint(
      await loadCheckpointFromIndexedDb({ name: 'worker-interrupted' }),
    );
    return {
      previousKept: loaded === previous,
      chunksAfterNextSave: await nextSaveChunks('worker-interrupted'),
    };
  }
  if (name === 'close-page-mid-save') {
    // Saves a small checkpoint, then starts a 54 MB save and says so on the console: the test
    // closes the page on that line, while the transaction is still running.
    const [previous] = await smallCheckpoints();
    await saveCheckpointToIndexedDb(previous!, { name: 'page-interrupted', chunkBytes: 1024 });
    const large = await largeCheckpoint();
    const print = await fingerprint(previous!);
    void saveCheckpointToIndexedDb(large, {
      name: 'page-interrupted',
      chunkBytes: 64 * 1024,
    }).catch(() => {});
    console.log(`saving-large ${print}`);
    return { previous: print };
  }
  if (name === 'after-closed-page') {
    const loaded = await fingerprint(
      await loadCheckpointFromIndexedDb({ name: 'page-interrupted' }),
    );
    return { loaded, chunksAfterNextSave: await nextSaveChunks('page-interrupted') };
  }
  throw new Error(`unknown stage ${name}`);
}

/** Saves a small checkpoint under `name` and counts the chunks stored under it: no orphans left. */
async function nextSaveChunks(name: string): Promise<number> {
  const [, , last] = await smallCheckpoints();
  await saveCheckpointToIndexedDb(last!, { name, chunkBytes: 1024 });
  return (await chunkKeys(name)).length;
}

const name = new URLSearchParams(location.search).get('stage') ?? '';
stage(name).then(
  (result) => {
    window.e2eResult = result;
  },
  (error: unknown) => {
    window.e2eError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  },
);
