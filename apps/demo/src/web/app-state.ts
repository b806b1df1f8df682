import type { TaskExplanation } from '../tasks/demo-task';
import type {
  BackendName,
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
    | { readonly objective: ObjectiveName; readonly backend: BackendName }
    | undefined;
  readonly summary: TaskSummary | undefined;
  readonly explanation: TaskExplanation | undefined;
  /** Sample predictions of the untrained model. */
  readonly initialSamples: TaskSnapshot | undefined;
  /** The latest sample predictions. */
  readonly latestSamples: TaskSnapshot | undefined;
  readonly points: readonly ProgressPoint[];
  readonly error: string | undefined;
  /** Pre-training progress of a fine-tuning task's base model, while loading. */
  readonly preparation: { readonly step: number; readonly totalSteps: number } | undefined;
}

/** A user request the page makes of the worker (the rest of the state follows worker messages). */
export type PageEvent = {
  readonly type: 'load-requested';
  readonly objective: ObjectiveName;
  readonly backend: BackendName;
};

/** Everything that belongs to one loaded task, emptied when another is requested. */
const NO_TASK = {
  summary: undefined,
  explanation: undefined,
  initialSamples: undefined,
  latestSamples: undefined,
  points: [],
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
        requested: { objective: event.objective, backend: event.backend },
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
      };
    case 'preparing':
      if (state.status !== 'loading') return state;
      return { ...state, preparation: { step: event.step, totalSteps: event.totalSteps } };
    case 'progress':
      return { ...state, points: [...state.points, event.point] };
    case 'snapshot':
      return { ...state, latestSamples: event.snapshot };
    case 'running': {
      if (state.status === 'error' || state.status === 'loading') return state;
      if (event.running) return { ...state, status: 'running' };
      const last = state.points[state.points.length - 1];
      const finished =
        state.summary !== undefined && last !== undefined && last.step >= state.summary.totalSteps;
      return { ...state, status: finished ? 'finished' : 'paused' };
    }
    case 'error':
      return { ...state, status: 'error', error: event.message };
  }
}

/** Which buttons work in a state. */
export function enabledControls(state: AppState): {
  readonly start: boolean;
  readonly pause: boolean;
  readonly reset: boolean;
} {
  return {
    start: state.status === 'ready' || state.status === 'paused',
    pause: state.status === 'running',
    reset: state.status !== 'starting' && state.status !== 'loading',
  };
}

/** The status line (a polite live region), e.g. `'Paused at step 12 of 160. …'` */
export function statusText(state: AppState): string {
  const step = state.points[state.points.length - 1]?.step ?? 0;
  const summary = state.summary;
  switch (state.status) {
    case 'starting':
      return 'Loading TensorFlow.js…';
    case 'loading':
      if (state.preparation) {
        return `Pre-training the causal base model for ${state.requested?.objective} on ${state.requested?.backend}: step ${state.preparation.step} of ${state.preparation.totalSteps}…`;
      }
      return `Building the ${state.requested?.objective} task on ${state.requested?.backend}…`;
    case 'ready':
      return `Ready on ${summary?.backend}: press Start to train ${summary?.totalSteps} steps.`;
    case 'running':
      // No step number: the status is a live region, and a message per step would flood screen
      // readers. The step counter beside it shows the progress.
      return `Training on ${summary?.backend} for ${summary?.totalSteps} steps…`;
    case 'paused':
      return `Paused at step ${step} of ${summary?.totalSteps}. Start resumes, Reset starts over.`;
    case 'finished':
      return `Finished ${step} steps. Reset to train again.`;
    case 'error':
      return `Error: ${state.error}`;
  }
}
