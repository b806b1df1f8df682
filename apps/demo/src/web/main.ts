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
  startLabel,
  statusText,
} from './app-state';
import type { BackendChoice } from './backend-choice';
import { docsUrl } from './docs-url';
import { element, required } from './dom';
import { formatCount, formatLoss, formatPercent, formatRate } from './format-numbers';
import { applyPalette } from './palette';
import {
  BACKEND_NAMES,
  BASE_SOURCES,
  type BackendName,
  type BaseSource,
  OBJECTIVE_NAMES,
  type ObjectiveName,
  type PageMessage,
  type WorkerMessage,
} from './protocol';
import { renderBackendChoice } from './render-backend-choice';
import { renderBertView } from './render-bert-view';
import { renderConditionalView } from './render-conditional-view';
import { renderEvaluation } from './render-evaluation';
import { renderGlmView } from './render-glm-view';
import { createTrainingCharts } from './training-charts';

applyPalette(document.documentElement);
for (const id of ['docs-link', 'docs-link-footer']) {
  required<HTMLAnchorElement>(id).href = docsUrl(import.meta.env['VITE_DOCS_URL']);
}

const form = required<HTMLFormElement>('controls');
const seedInput = required<HTMLInputElement>('seed');
const backendSelect = required<HTMLSelectElement>('backend');
const backendHelp = required('backend-help');
const baseRow = required('base-row');
const baseSelect = required<HTMLSelectElement>('base');
const evaluationContainer = required('evaluation');
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
/** `?baseSteps=` shortens a page-trained base model's pre-training for LoRA / prefix tuning (tests). */
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

function selectedBase(): BaseSource {
  return BASE_SOURCES.find((name) => name === baseSelect.value) ?? 'checkpoint';
}

function selectedSeed(): number {
  const seed = Number(seedInput.value);
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff) return seed;
  seedInput.value = '1';
  return 1;
}

const baseHelp = required('base-help');

/** What "Start from" means for the objective: hidden for the causal LM, which always starts from scratch. */
function showBaseChoice(objective: ObjectiveName): void {
  baseRow.hidden = objective === 'causal';
  const fineTuning = objective === 'lora' || objective === 'prefix';
  baseHelp.textContent = fineTuning
    ? 'The frozen causal model LoRA and prefix tuning adapt: the checkpoint shipped with the demo, or one pre-trained on this page from scratch (the Causal LM run, if there was one with this seed and backend; otherwise it is pre-trained first).'
    : 'BERT and GLM go on from checkpoints the demo ships (pre-trained with the same objective by scripts/train-checkpoints.ts), or start from random weights.';
}

function requestLoad(): void {
  const objective = selectedObjective();
  const backend = selectedBackend();
  const base = selectedBase();
  showBaseChoice(objective);
  dispatch({ type: 'load-requested', objective, backend, base });
  send({ type: 'load', objective, backend, seed: selectedSeed(), base, baseSteps });
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
  startButton.textContent = startLabel(state);
  status.textContent = statusText(state);
  status.dataset['kind'] = state.status === 'error' ? 'error' : 'info';
  document.body.dataset['status'] = state.status;

  const last = state.points[state.points.length - 1];
  required('stat-step').textContent = last
    ? `${last.step} / ${state.untilStep ?? state.summary?.totalSteps ?? '?'}`
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

  charts.update({
    points: state.points,
    heldOut: state.heldOutLosses,
    references: summary ? chartReferences(summary) : [],
    untilStep: state.untilStep,
  });
  renderEvaluation(evaluationContainer, state);
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
baseSelect.addEventListener('change', requestLoad);
form.addEventListener('submit', (event) => event.preventDefault());

/** The dashed lines of the loss chart: $\ln V$, and for a pre-training objective the unigram loss. */
function chartReferences(summary: NonNullable<AppState['summary']>) {
  const references = [{ value: summary.baseline.uniformLoss, label: 'uniform guessing (ln V)' }];
  if (summary.objective !== 'lora' && summary.objective !== 'prefix') {
    references.push({ value: summary.baseline.unigramLoss, label: 'unigram baseline' });
  }
  return references;
}

/**
 * `?objective=glm&backend=cpu&seed=7&base=scratch` preselects the controls, so a run can be linked to (and the
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
  const base = BASE_SOURCES.find((name) => name === query.get('base'));
  if (base) baseSelect.value = base;
  const steps = Number(query.get('baseSteps'));
  if (Number.isInteger(steps) && steps > 0) baseSteps = steps;
  const seed = query.get('seed');
  if (seed !== null && /^\d+$/.test(seed)) seedInput.value = seed;
}

applyQueryParameters();
send({ type: 'probe' });
render();
