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
  throw new Error(`unknown stage ${name}`);
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
