// The training worker: builds a task module (`src/tasks/`) on the chosen backend, trains it when
// the page says Start, stops between two steps when it says Pause, and reports every step, plus
// fresh sample predictions every few steps. Training here keeps the page responsive.
import { accuracyMetrics } from './accuracy-metrics';
import { demoData } from './demo-data';
import { chooseAndProbeBackend } from './describe-backends';
import type { PageMessage, TaskSummary, WorkerMessage } from './protocol';
import { withSynchronousReads } from './synchronous-reads';
import { createTaskFactory, type RunnableTask } from './task-factories';
import { useBackend } from './tensorflow-backends';
import { uniformLoss } from './uniform-loss';

/** New sample predictions at least this often in steps… */
const SNAPSHOT_EVERY_STEPS = 10;
/** …or in milliseconds, whichever comes first (sampling costs a forward pass). */
const SNAPSHOT_EVERY_MS = 2000;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PageMessage>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

const factory = createTaskFactory();
let task: RunnableTask | undefined;
/** Aborts a load that is still pre-training a base model when the page asks for another one. */
let loading: AbortController | undefined;
let training: Promise<void> | undefined;
let controller: AbortController | undefined;
// Loads run one after another; Pause bypasses the queue so it reaches a running loop at once.
let queue: Promise<void> = Promise.resolve();

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function stopTraining(): Promise<void> {
  controller?.abort(new Error('paused by the page'));
  await training;
}

async function load(message: Extract<PageMessage, { type: 'load' }>): Promise<void> {
  await stopTraining();
  task?.dispose();
  task = undefined;
  await useBackend(message.backend);
  const { corpus, tokenizer } = demoData();
  const thisLoad = new AbortController();
  loading = thisLoad;
  try {
    task = await factory.create(
      {
        objective: message.objective,
        backend: message.backend,
        options: { corpus, tokenizer, seed: message.seed },
        baseSteps: message.baseSteps,
      },
      (step, totalSteps) => post({ type: 'preparing', step, totalSteps }),
      thisLoad.signal,
    );
  } catch (error) {
    // Superseded by a newer load, which is queued behind this one: nothing to report.
    if (thisLoad.signal.aborted) return;
    throw error;
  } finally {
    loading = undefined;
  }
  const reference = uniformLoss(message.objective, task.vocabularySize);
  const summary: TaskSummary = {
    objective: message.objective,
    backend: message.backend,
    seed: message.seed,
    trainableParameters: task.parameterCounts.trainable,
    totalParameters: task.parameterCounts.total,
    title: task.title,
    description: task.description,
    totalSteps: task.totalSteps,
    uniformLoss: reference.value,
    uniformLossLabel: reference.label,
  };
  const loaded = task;
  post({
    type: 'loaded',
    summary,
    explanation: loaded.explain(),
    snapshot: {
      step: loaded.trainer.step,
      samples: await withSynchronousReads(() => loaded.samplePredictions()),
    },
  });
}

async function train(current: RunnableTask): Promise<void> {
  controller = new AbortController();
  post({ type: 'running', running: true });
  let lastSnapshotStep = current.trainer.step;
  let lastSnapshotTime = performance.now();
  try {
    await current.train({
      signal: controller.signal,
      onProgress: async (progress) => {
        post({
          type: 'progress',
          point: {
            step: progress.step,
            loss: progress.loss,
            accuracies: accuracyMetrics(progress.metrics),
            tokensPerSecond: progress.tokensPerSecond,
          },
        });
        const now = performance.now();
        if (
          progress.step - lastSnapshotStep >= SNAPSHOT_EVERY_STEPS ||
          now - lastSnapshotTime >= SNAPSHOT_EVERY_MS
        ) {
          lastSnapshotStep = progress.step;
          lastSnapshotTime = now;
          post({
            type: 'snapshot',
            snapshot: {
              step: progress.step,
              samples: await withSynchronousReads(() => current.samplePredictions()),
            },
          });
        }
      },
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TrainingAbortedError')) throw error;
  } finally {
    controller = undefined;
  }
  if (current.trainer.step !== lastSnapshotStep) {
    post({
      type: 'snapshot',
      snapshot: {
        step: current.trainer.step,
        samples: await withSynchronousReads(() => current.samplePredictions()),
      },
    });
  }
  post({ type: 'running', running: false });
}

function start(): void {
  const current = task;
  if (!current || training) return;
  training = train(current)
    .catch((error: unknown) => post({ type: 'error', message: describeError(error) }))
    .finally(() => {
      training = undefined;
    });
}

function enqueue(work: () => Promise<void>): void {
  queue = queue
    .then(work)
    .catch((error: unknown) => post({ type: 'error', message: describeError(error) }));
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'probe':
      enqueue(async () => {
        const choice = await chooseAndProbeBackend(useBackend);
        const available = choice.options.filter((entry) => entry.available);
        post({ type: 'backends', available: available.map((entry) => entry.name), choice });
      });
      break;
    case 'load':
      // A newer load supersedes one still pre-training its base model.
      loading?.abort(new Error('superseded by a newer load'));
      enqueue(() => load(message));
      break;
    case 'start':
      enqueue(async () => start());
      break;
    case 'pause':
      controller?.abort(new Error('paused by the page'));
      break;
  }
};
