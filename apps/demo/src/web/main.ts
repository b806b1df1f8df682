// The page: controls, status, charts and the visualiser, all driven by the training worker's
// messages through the pure `reduceAppState`. The page itself never loads TensorFlow.js.
import type { TaskExplanation } from '../tasks/demo-task';
import { accuracyLabel } from './accuracy-metrics';
import {
  type AppState,
  enabledControls,
  initialAppState,
  type PageEvent,
  reduceAppState,
  statusText,
} from './app-state';
import type { BackendChoice } from './backend-choice';
import { element, required } from './dom';
import { formatCount, formatLoss, formatPercent, formatRate } from './format-numbers';
import { applyPalette } from './palette';
import {
  BACKEND_NAMES,
  type BackendName,
  OBJECTIVE_NAMES,
  type ObjectiveName,
  type PageMessage,
  type WorkerMessage,
} from './protocol';
import { renderBackendChoice } from './render-backend-choice';
import { renderBertView } from './render-bert-view';
import { renderConditionalView } from './render-conditional-view';
import { renderGlmView } from './render-glm-view';
import { createTrainingCharts } from './training-charts';

applyPalette(document.documentElement);

const form = required<HTMLFormElement>('controls');
const seedInput = required<HTMLInputElement>('seed');
const backendSelect = required<HTMLSelectElement>('backend');
const backendHelp = required('backend-help');
const backendWarning = required('backend-warning');
const startButton = required<HTMLButtonElement>('start');
const pauseButton = required<HTMLButtonElement>('pause');
const resetButton = required<HTMLButtonElement>('reset');
const status = required('status');
const viewContainer = required('view');
const charts = createTrainingCharts({
  lossCanvas: required<HTMLCanvasElement>('loss-chart'),
  lossFigure: required('loss-figure'),
  lossCaption: required('loss-caption'),
  accuracyCanvas: required<HTMLCanvasElement>('accuracy-chart'),
  accuracyFigure: required('accuracy-figure'),
  accuracyCaption: required('accuracy-caption'),
});

const worker = new Worker(new URL('./training-worker.ts', import.meta.url), {
  type: 'module',
  name: 'training',
});
let state: AppState = initialAppState();
let view: { readonly root: HTMLElement; updateSamples(state: AppState): void } | undefined;
let renderedExplanation: TaskExplanation | undefined;
let frame = 0;
/** `?baseSteps=` shortens the base model's pre-training for LoRA / prefix tuning (demos, tests). */
let baseSteps: number | undefined;
/** The worker's backend choice (`undefined` until it answers the probe). */
let backendChoice: BackendChoice | undefined;
/** `?backend=` chose the backend: the worker's recommendation does not replace it. */
let backendFromQuery = false;

function send(message: PageMessage): void {
  worker.postMessage(message);
}

function dispatch(event: WorkerMessage | PageEvent): void {
  state = reduceAppState(state, event);
  // Progress can arrive faster than the screen refreshes: draw once per frame.
  if (frame === 0) frame = requestAnimationFrame(render);
}

function selectedObjective(): ObjectiveName {
  const value = new FormData(form).get('objective');
  return OBJECTIVE_NAMES.find((name) => name === value) ?? 'bert';
}

function selectedBackend(): BackendName {
  return BACKEND_NAMES.find((name) => name === backendSelect.value) ?? 'cpu';
}

function selectedSeed(): number {
  const seed = Number(seedInput.value);
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff) return seed;
  seedInput.value = '1';
  return 1;
}

function requestLoad(): void {
  const objective = selectedObjective();
  const backend = selectedBackend();
  dispatch({ type: 'load-requested', objective, backend });
  send({ type: 'load', objective, backend, seed: selectedSeed(), baseSteps });
}

function renderView(): void {
  const explanation = state.explanation;
  if (explanation === renderedExplanation) {
    view?.updateSamples(state);
    return;
  }
  renderedExplanation = explanation;
  if (!explanation) {
    view = undefined;
    viewContainer.replaceChildren(
      element('p', { class: 'help' }, ['The visualiser appears once the task is built.']),
    );
    return;
  }
  view =
    explanation.kind === 'bert'
      ? renderBertView(explanation)
      : explanation.kind === 'glm'
        ? renderGlmView(explanation)
        : renderConditionalView(explanation, state);
  view.updateSamples(state);
  viewContainer.replaceChildren(view.root);
}

function render(): void {
  frame = 0;
  const controls = enabledControls(state);
  startButton.disabled = !controls.start;
  pauseButton.disabled = !controls.pause;
  resetButton.disabled = !controls.reset;
  startButton.textContent = state.status === 'paused' ? 'Resume' : 'Start';
  status.textContent = statusText(state);
  status.dataset['kind'] = state.status === 'error' ? 'error' : 'info';
  document.body.dataset['status'] = state.status;

  const last = state.points[state.points.length - 1];
  required('stat-step').textContent = last
    ? `${last.step} / ${state.summary?.totalSteps ?? '?'}`
    : '—';
  required('stat-loss').textContent = formatLoss(last?.loss);
  const accuracies = Object.entries(last?.accuracies ?? {});
  required('stat-accuracy').textContent =
    accuracies.length === 0
      ? '—'
      : accuracies
          .map(([name, value]) => `${formatPercent(value)} ${accuracyLabel(name)}`)
          .join(', ');
  required('stat-speed').textContent = formatRate(last?.tokensPerSecond);
  const summary = state.summary;
  required('stat-parameters').textContent = summary
    ? `${formatCount(summary.trainableParameters)} trainable of ${formatCount(summary.totalParameters)}`
    : '—';
  required('task-description').textContent = summary
    ? `${summary.title}: ${summary.description}`
    : '';

  charts.update(
    state.points,
    summary ? { value: summary.uniformLoss, label: summary.uniformLossLabel } : undefined,
  );
  renderView();
  renderBackendAvailability();
}

function renderBackendAvailability(): void {
  if (!backendChoice) return;
  renderBackendChoice(
    { select: backendSelect, help: backendHelp, warning: backendWarning },
    backendChoice,
    selectedBackend(),
  );
}

worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
  const message = event.data;
  dispatch(message);
  if (message.type === 'backends') {
    backendChoice = message.choice;
    // The worker's pick, unless the link chose a backend this browser has.
    if (!backendFromQuery || !message.available.includes(selectedBackend()))
      backendSelect.value = message.choice.picked;
    requestLoad();
  }
};
worker.onerror = (event) => {
  dispatch({ type: 'error', message: event.message || 'the training worker failed to start' });
};

startButton.addEventListener('click', () => send({ type: 'start' }));
pauseButton.addEventListener('click', () => send({ type: 'pause' }));
resetButton.addEventListener('click', requestLoad);
for (const radio of Array.from(
  form.querySelectorAll<HTMLInputElement>('input[name="objective"]'),
)) {
  radio.addEventListener('change', requestLoad);
}
backendSelect.addEventListener('change', requestLoad);
form.addEventListener('submit', (event) => event.preventDefault());

/**
 * `?objective=glm&backend=cpu&seed=7` preselects the controls, so a run can be linked to (and the
 * e2e test opens each objective directly).
 */
function applyQueryParameters(): void {
  const query = new URLSearchParams(location.search);
  const objective = OBJECTIVE_NAMES.find((name) => name === query.get('objective'));
  if (objective) {
    const radio = form.querySelector<HTMLInputElement>(
      `input[name="objective"][value="${objective}"]`,
    );
    if (radio) radio.checked = true;
  }
  const backend = BACKEND_NAMES.find((name) => name === query.get('backend'));
  if (backend) {
    backendSelect.value = backend;
    backendFromQuery = true;
  }
  const steps = Number(query.get('baseSteps'));
  if (Number.isInteger(steps) && steps > 0) baseSteps = steps;
  const seed = query.get('seed');
  if (seed !== null && /^\d+$/.test(seed)) seedInput.value = seed;
}

applyQueryParameters();
send({ type: 'probe' });
render();
