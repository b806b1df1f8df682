import { describe, expect, it } from 'vitest';
import {
  type AppState,
  enabledControls,
  initialAppState,
  reduceAppState,
  statusText,
} from './app-state';
import type { TaskSummary, WorkerMessage } from './protocol';

const summary: TaskSummary = {
  objective: 'glm',
  backend: 'wasm',
  seed: 3,
  trainableParameters: 10,
  totalParameters: 10,
  title: 'GLM',
  description: 'a GLM task',
  totalSteps: 2,
  uniformLoss: Math.log(3000),
  uniformLossLabel: 'uniform guessing (ln V)',
};

const loaded: WorkerMessage = {
  type: 'loaded',
  summary,
  explanation: { kind: 'conditional', tokens: [], roles: [], lossMask: [], virtualTokens: 0 },
  snapshot: { step: 0, samples: [{ input: 'a', output: 'b', expected: 'c' }] },
};

const progress = (step: number, loss: number): WorkerMessage => ({
  type: 'progress',
  point: { step, loss, accuracies: {}, tokensPerSecond: 100 },
});

function run(...events: Parameters<typeof reduceAppState>[1][]): AppState {
  return events.reduce(reduceAppState, initialAppState());
}

describe('reduceAppState', () => {
  it('goes from loading to ready with the summary, the explanation and the untrained samples', () => {
    const state = run({ type: 'load-requested', objective: 'glm', backend: 'wasm' }, loaded);
    expect(state.status).toBe('ready');
    expect(state.summary).toBe(summary);
    expect(state.initialSamples?.samples[0]?.output).toBe('b');
    expect(state.latestSamples).toBe(state.initialSamples);
  });

  it('appends progress points and keeps the first samples when new ones arrive', () => {
    const state = run(loaded, { type: 'running', running: true }, progress(1, 8), progress(2, 7), {
      type: 'snapshot',
      snapshot: { step: 2, samples: [{ input: 'a', output: 'c', expected: 'c' }] },
    });
    expect(state.points.map((point) => point.loss)).toEqual([8, 7]);
    expect(state.initialSamples?.samples[0]?.output).toBe('b');
    expect(state.latestSamples?.samples[0]?.output).toBe('c');
  });

  it('calls a stop before the last step a pause and a stop at the last step the end of the run', () => {
    const paused = run(loaded, { type: 'running', running: true }, progress(1, 8), {
      type: 'running',
      running: false,
    });
    expect(paused.status).toBe('paused');
    const finished = reduceAppState(
      reduceAppState(reduceAppState(paused, { type: 'running', running: true }), progress(2, 7)),
      { type: 'running', running: false },
    );
    expect(finished.status).toBe('finished');
  });

  it('clears the points and samples when a new task is requested', () => {
    const state = run(loaded, progress(1, 8), {
      type: 'load-requested',
      objective: 'bert',
      backend: 'cpu',
    });
    expect(state.points).toEqual([]);
    expect(state.summary).toBeUndefined();
    expect(statusText(state)).toBe('Building the bert task on cpu…');
  });

  it('reports the base model pre-training of a fine-tuning task while it loads', () => {
    const state = run(
      { type: 'load-requested', objective: 'lora', backend: 'wasm' },
      { type: 'preparing', step: 3, totalSteps: 120 },
    );
    expect(statusText(state)).toBe(
      'Pre-training the causal base model for lora on wasm: step 3 of 120…',
    );
    expect(
      run(loaded, { type: 'preparing', step: 3, totalSteps: 120 }).preparation,
    ).toBeUndefined();
  });

  it('keeps an error visible until the next task loads', () => {
    const state = run(
      loaded,
      { type: 'error', message: 'WebGL is not available' },
      {
        type: 'running',
        running: false,
      },
    );
    expect(state.status).toBe('error');
    expect(statusText(state)).toBe('Error: WebGL is not available');
    expect(enabledControls(state)).toEqual({ start: false, pause: false, reset: true });
  });
});

describe('enabledControls and statusText', () => {
  it('enable Start when ready or paused, Pause only while running, Reset once something loaded', () => {
    expect(enabledControls(initialAppState())).toEqual({
      start: false,
      pause: false,
      reset: false,
    });
    expect(enabledControls(run(loaded))).toEqual({ start: true, pause: false, reset: true });
    const running = run(loaded, { type: 'running', running: true });
    expect(enabledControls(running)).toEqual({ start: false, pause: true, reset: true });
  });

  it('name the backend and run length while training, without a per-step message', () => {
    const state = run(loaded, { type: 'running', running: true }, progress(1, 8));
    expect(statusText(state)).toBe('Training on wasm for 2 steps…');
    expect(statusText(reduceAppState(state, progress(2, 7)))).toBe(statusText(state));
    expect(statusText(reduceAppState(state, { type: 'running', running: false }))).toBe(
      'Paused at step 1 of 2. Start resumes, Reset starts over.',
    );
    expect(statusText(run(loaded))).toBe('Ready on wasm: press Start to train 2 steps.');
  });
});
