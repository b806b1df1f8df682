// The training worker: builds a task module (`src/tasks/`) on the chosen backend, trains it when
// the page says Start (past the schedule's end too: "Keep training"), stops between two steps
// when it says Pause, and reports every step, plus fresh sample predictions and the held-out
// evaluation every few steps. Training here keeps the page responsive.
import bertCheckpointUrl from '../../checkpoints/bert.safetensors?url';
import causalCheckpointUrl from '../../checkpoints/causal.safetensors?url';
import glmCheckpointUrl from '../../checkpoints/glm.safetensors?url';
import { accuracyMetrics } from './accuracy-metrics';
import { extraSteps } from './app-state';
import { demoData } from './demo-data';
import { chooseAndProbeBackend } from './describe-backends';
import type { PageMessage, TaskSnapshot, TaskSummary, WorkerMessage } from './protocol';
import { withSynchronousReads } from './synchronous-reads';
import { createTaskFactory, type RunnableTask } from './task-factories';
import { useBackend } from './tensorflow-backends';

/** New samples and a held-out evaluation at least this often in steps… */
const SNAPSHOT_EVERY_STEPS = 25;
/** …or in milliseconds, whichever comes first (both cost forward passes). */
const SNAPSHOT_EVERY_MS = 5000;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PageMessage>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

const CHECKPOINT_URLS = {
  bert: bertCheckpointUrl,
  glm: glmCheckpointUrl,
  causal: causalCheckpointUrl,
} as const;

const factory = createTaskFactory(async (checkpoint) => {
  const response = await fetch(new URL(CHECKPOINT_URLS[checkpoint], import.meta.url));
  if (!response.ok) {
    throw new Error(
      `The shipped ${checkpoint} checkpoint could not be loaded (HTTP ${response.status}); choose "from scratch" under "Start from".`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
});
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

/** Fresh samples and the held-out evaluation (on WebGPU computed on cpu: they read synchronously). */
function snapshot(current: RunnableTask): Promise<TaskSnapshot> {
  return withSynchronousReads(() => ({
    step: current.trainer.step,
    samples: current.samplePredictions(),
    evaluation: current.evaluate(),
  }));
}

async function load(message: Extract<PageMessage, { type: 'load' }>): Promise<void> {
  await stopTraining();
  if (task) factory.release(task);
  task = undefined;
  await useBackend(message.backend);
  const { corpus, tokenizer } = demoData();
  const thisLoad = new AbortController();
  loading = thisLoad;
  let built: Awaited<ReturnType<typeof factory.create>>;
  try {
    built = await factory.create(
      {
        objective: message.objective,
        backend: message.backend,
        options: { corpus, tokenizer, seed: message.seed },
        base: message.base,
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
  task = built.task;
  const summary: TaskSummary = {
    objective: message.objective,
    backend: message.backend,
    seed: message.seed,
    trainableParameters: task.parameterCounts.trainable,
    totalParameters: task.parameterCounts.total,
    title: task.title,
    description: task.description,
    totalSteps: task.totalSteps,
    baseline: task.baseline,
    start: built.start,
  };
  post({ type: 'loaded', summary, explanation: task.explain(), snapshot: await snapshot(task) });
}

async function train(current: RunnableTask): Promise<void> {
  controller = new AbortController();
  // Past the schedule's end, "Keep training" adds half a run at the final learning rate.
  const untilStep =
    current.trainer.step >= current.totalSteps
      ? current.trainer.step + extraSteps(current.totalSteps)
      : current.totalSteps;
  post({ type: 'running', running: true, untilStep });
  let lastSnapshotStep = current.trainer.step;
  let lastSnapshotTime = performance.now();
  try {
    await current.train({
      signal: controller.signal,
      untilStep,
      onProgress: async (progress) => {
        post({
          type: 'progress',
          point: {
            step: progress.step,
            // BERT's loss adds next-sentence prediction: chart its masked-LM part, per token.
            loss: progress.parts['maskedLm']?.loss ?? progress.loss,
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
          post({ type: 'snapshot', snapshot: await snapshot(current) });
        }
      },
    });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TrainingAbortedError')) throw error;
  } finally {
    controller = undefined;
  }
  if (current.trainer.step !== lastSnapshotStep) {
    post({ type: 'snapshot', snapshot: await snapshot(current) });
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
