import type { TaskExplanation } from '../tasks/demo-task';
import type {
  BackendName,
  BaseSource,
  ObjectiveName,
  ProgressPoint,
  TaskSnapshot,
  TaskSummary,
  WorkerMessage,
} from './protocol';

/** Where the page is in its life cycle. */
export type RunStatus =
  | 'starting'
  | 'loading'
  | 'ready'
  | 'running'
  | 'paused'
  | 'finished'
  | 'error';

/** Everything the page renders, derived only from worker messages and the user's load requests. */
export interface AppState {
  readonly status: RunStatus;
  /** Backends the worker could initialise (`undefined` until probed). */
  readonly availableBackends: readonly BackendName[] | undefined;
  /** What the page asked the worker to load last. */
  readonly requested:
    | {
        readonly objective: ObjectiveName;
        readonly backend: BackendName;
        readonly base: BaseSource;
      }
    | undefined;
  readonly summary: TaskSummary | undefined;
  readonly explanation: TaskExplanation | undefined;
  /** Sample predictions and held-out numbers of the untrained model. */
  readonly initialSamples: TaskSnapshot | undefined;
  /** The latest sample predictions and held-out numbers. */
  readonly latestSamples: TaskSnapshot | undefined;
  /** Every held-out loss measured so far (per scored token), by step: the chart's held-out points. */
  readonly heldOutLosses: readonly { readonly step: number; readonly loss: number }[];
  readonly points: readonly ProgressPoint[];
  /** The step the current (or last) stretch of training runs to: the schedule's end, or beyond it. */
  readonly untilStep: number | undefined;
  readonly error: string | undefined;
  /** Pre-training progress of a fine-tuning task's base model, while loading. */
  readonly preparation: { readonly step: number; readonly totalSteps: number } | undefined;
}

/** A user request the page makes of the worker (the rest of the state follows worker messages). */
export type PageEvent = {
  readonly type: 'load-requested';
  readonly objective: ObjectiveName;
  readonly backend: BackendName;
  readonly base: BaseSource;
};

/** Everything that belongs to one loaded task, emptied when another is requested. */
const NO_TASK = {
  summary: undefined,
  explanation: undefined,
  initialSamples: undefined,
  latestSamples: undefined,
  heldOutLosses: [],
  points: [],
  untilStep: undefined,
  error: undefined,
  preparation: undefined,
} as const satisfies Partial<AppState>;

/** The state before the worker has answered anything. */
export function initialAppState(): AppState {
  return { status: 'starting', availableBackends: undefined, requested: undefined, ...NO_TASK };
}

/** The next state after a worker message or a page request (pure; the previous state is kept). */
export function reduceAppState(state: AppState, event: WorkerMessage | PageEvent): AppState {
  switch (event.type) {
    case 'load-requested':
      return {
        ...state,
        status: 'loading',
        requested: { objective: event.objective, backend: event.backend, base: event.base },
        ...NO_TASK,
      };
    case 'backends':
      return { ...state, availableBackends: event.available };
    case 'loaded':
      return {
        ...state,
        ...NO_TASK,
        status: 'ready',
        summary: event.summary,
        explanation: event.explanation,
        initialSamples: event.snapshot,
        latestSamples: event.snapshot,
        heldOutLosses: [heldOutPoint(event.snapshot)],
        untilStep: event.summary.totalSteps,
      };
    case 'preparing':
      if (state.status !== 'loading') return state;
      return { ...state, preparation: { step: event.step, totalSteps: event.totalSteps } };
    case 'progress':
      return { ...state, points: [...state.points, event.point] };
    case 'snapshot':
      return {
        ...state,
        latestSamples: event.snapshot,
        heldOutLosses: [
          ...state.heldOutLosses.filter((point) => point.step !== event.snapshot.step),
          heldOutPoint(event.snapshot),
        ],
      };
    case 'running': {
      if (state.status === 'error' || state.status === 'loading') return state;
      if (event.running) {
        return { ...state, status: 'running', untilStep: event.untilStep ?? state.untilStep };
      }
      const last = state.points[state.points.length - 1];
      const finished =
        state.untilStep !== undefined && last !== undefined && last.step >= state.untilStep;
      return { ...state, status: finished ? 'finished' : 'paused' };
    }
    case 'error':
      return { ...state, status: 'error', error: event.message };
  }
}

function heldOutPoint(snapshot: TaskSnapshot): { readonly step: number; readonly loss: number } {
  return { step: snapshot.step, loss: snapshot.evaluation.tokenLoss };
}

/**
 * The steps "Keep training" adds after a finished run: half the schedule again, at the schedule's
 * final learning rate (a tenth of the peak).
 */
export function extraSteps(totalSteps: number): number {
  return Math.max(1, Math.round(totalSteps / 2));
}

/** The Start button's label: Start, Resume, or Keep training once a run has finished. */
export function startLabel(state: AppState): string {
  if (state.status === 'paused') return 'Resume';
  if (state.status === 'finished' && state.summary) {
    return `Keep training (+${extraSteps(state.summary.totalSteps)} steps)`;
  }
  return 'Start';
}

/** Which buttons work in a state. */
export function enabledControls(state: AppState): {
  readonly start: boolean;
  readonly pause: boolean;
  readonly reset: boolean;
} {
  return {
    start: state.status === 'ready' || state.status === 'paused' || state.status === 'finished',
    pause: state.status === 'running',
    reset: state.status !== 'starting' && state.status !== 'loading',
  };
}

/** The status line (a polite live region), e.g. `'Paused at step 12 of 160. …'` */
export function statusText(state: AppState): string {
  const step = state.points[state.points.length - 1]?.step ?? 0;
  const summary = state.summary;
  const until = state.untilStep ?? summary?.totalSteps;
  switch (state.status) {
    case 'starting':
      return 'Loading TensorFlow.js…';
    case 'loading':
      if (state.preparation) {
        return `Pre-training the causal base model for ${state.requested?.objective} on ${state.requested?.backend} from scratch: step ${state.preparation.step} of ${state.preparation.totalSteps}…`;
      }
      return `Building the ${state.requested?.objective} task on ${state.requested?.backend}…`;
    case 'ready':
      return `Ready on ${summary?.backend}: press Start to train ${summary?.totalSteps} steps.`;
    case 'running':
      // No step number: the status is a live region, and a message per step would flood screen
      // readers. The step counter beside it shows the progress.
      return `Training on ${summary?.backend} up to step ${until}…`;
    case 'paused':
      return `Paused at step ${step} of ${until}. Resume goes on, Reset starts over.`;
    case 'finished':
      return `Finished ${step} steps. Keep training goes on at the final learning rate; Reset starts over.`;
    case 'error':
      return `Error: ${state.error}`;
  }
}
