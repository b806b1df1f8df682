// The e2e Web Worker: trains until the page sends 'stop' (which only arrives because the trainer
// yields to the event loop between steps), then saves a checkpoint to IndexedDB from the worker.
import { buildTrainer, saveCheckpointToIndexedDb, setUpBackend } from './browser-run';
import { fingerprint, largeCheckpoint, smallCheckpoints } from './indexeddb-faults';

const controller = new AbortController();
const scope = self as unknown as {
  onmessage: (event: MessageEvent<{ type: string }>) => void;
  postMessage: (message: unknown) => void;
};

async function start(): Promise<void> {
  await setUpBackend();
  const run = buildTrainer(7, 11);
  try {
    await run.trainer.train({
      totalSteps: 1_000_000,
      nextWindow: ({ createBatch }) => [createBatch([Int32Array.from([1, 2, 3, 4, 5])])],
      signal: controller.signal,
      onProgress: (progress) => scope.postMessage({ type: 'progress', step: progress.step }),
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TrainingAbortedError')) throw error;
  }
  await saveCheckpointToIndexedDb(await run.trainer.saveCheckpoint(), { name: 'worker' });
  scope.postMessage({ type: 'saved', step: run.trainer.step });
  run.dispose();
}

/** Saves a small checkpoint, then starts saving a large one under the same name and says so. */
async function saveThenLarge(name: string): Promise<void> {
  await setUpBackend();
  const [previous] = await smallCheckpoints();
  await saveCheckpointToIndexedDb(previous!, { name, chunkBytes: 1024 });
  const large = await largeCheckpoint();
  void saveCheckpointToIndexedDb(large, { name, chunkBytes: 64 * 1024 });
  scope.postMessage({ type: 'saving-large', previous: await fingerprint(previous!) });
}

scope.onmessage = (event) => {
  if (event.data.type === 'save-then-large') {
    saveThenLarge((event.data as { name?: string }).name ?? 'worker-interrupted').catch(
      (error: unknown) => scope.postMessage({ type: 'error', message: String(error) }),
    );
  }
  if (event.data.type === 'start') {
    start().catch((error: unknown) =>
      scope.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  if (event.data.type === 'stop') controller.abort(new Error('stopped by the page'));
};
