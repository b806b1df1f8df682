import { describe, expect, it } from 'vitest';
import {
  type AppState,
  enabledControls,
  extraSteps,
  initialAppState,
  reduceAppState,
  startLabel,
  statusText,
} from './app-state';
import type { TaskSnapshot, TaskSummary, WorkerMessage } from './protocol';

const summary: TaskSummary = {
  objective: 'glm',
  backend: 'wasm',
  seed: 3,
  trainableParameters: 10,
  totalParameters: 10,
  title: 'GLM',
  description: 'a GLM task',
  totalSteps: 2,
  baseline: {
    uniformLoss: Math.log(3000),
    unigramLoss: 6.3,
    mostFrequentTokenId: 12,
    mostFrequentRate: 0.04,
    targets: 100,
  },
  start: { kind: 'scratch' },
};

const snapshot = (step: number, output: string, tokenLoss: number): TaskSnapshot => ({
  step,
  samples: [{ input: 'a', output, expected: 'c' }],
  evaluation: { loss: tokenLoss, tokenLoss, accuracy: 0.1 },
});

const loaded: WorkerMessage = {
  type: 'loaded',
  summary,
  explanation: { kind: 'conditional', tokens: [], roles: [], lossMask: [], virtualTokens: 0 },
  snapshot: snapshot(0, 'b', 8),
};

const requested = (objective: 'glm' | 'bert' | 'lora', backend: 'wasm' | 'cpu') =>
  ({ type: 'load-requested', objective, backend, base: 'checkpoint' }) as const;

const progress = (step: number, loss: number): WorkerMessage => ({
  type: 'progress',
  point: { step, loss, accuracies: {}, tokensPerSecond: 100 },
});

function run(...events: Parameters<typeof reduceAppState>[1][]): AppState {
  return events.reduce(reduceAppState, initialAppState());
}

describe('reduceAppState', () => {
  it('goes from loading to ready with the summary, the explanation and the untrained samples', () => {
    const state = run(requested('glm', 'wasm'), loaded);
    expect(state.status).toBe('ready');
    expect(state.summary).toBe(summary);
    expect(state.initialSamples?.samples[0]?.output).toBe('b');
    expect(state.latestSamples).toBe(state.initialSamples);
    expect(state.heldOutLosses).toEqual([{ step: 0, loss: 8 }]);
    expect(state.untilStep).toBe(2);
  });

  it('appends progress points and held-out losses, and keeps the first samples when new ones arrive', () => {
    const state = run(loaded, { type: 'running', running: true }, progress(1, 8), progress(2, 7), {
      type: 'snapshot',
      snapshot: snapshot(2, 'c', 6.5),
    });
    expect(state.points.map((point) => point.loss)).toEqual([8, 7]);
    expect(state.initialSamples?.samples[0]?.output).toBe('b');
    expect(state.latestSamples?.samples[0]?.output).toBe('c');
    expect(state.heldOutLosses).toEqual([
      { step: 0, loss: 8 },
      { step: 2, loss: 6.5 },
    ]);
    // A second snapshot at the same step replaces the first.
    const again = reduceAppState(state, { type: 'snapshot', snapshot: snapshot(2, 'c', 6.4) });
    expect(again.heldOutLosses.at(-1)).toEqual({ step: 2, loss: 6.4 });
    expect(again.heldOutLosses).toHaveLength(2);
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

  it('keeps training past a finished run up to the step the worker announces', () => {
    const finished = run(
      loaded,
      { type: 'running', running: true },
      progress(1, 8),
      progress(2, 7),
      { type: 'running', running: false },
    );
    expect(finished.status).toBe('finished');
    expect(enabledControls(finished).start).toBe(true);
    expect(startLabel(finished)).toBe(`Keep training (+${extraSteps(2)} steps)`);
    const onwards = run(
      loaded,
      { type: 'running', running: true },
      progress(1, 8),
      progress(2, 7),
      { type: 'running', running: false },
      { type: 'running', running: true, untilStep: 3 },
    );
    expect(statusText(onwards)).toBe('Training on wasm up to step 3…');
    const paused = reduceAppState(onwards, { type: 'running', running: false });
    expect(paused.status).toBe('paused');
    expect(
      reduceAppState(reduceAppState(onwards, progress(3, 6.8)), { type: 'running', running: false })
        .status,
    ).toBe('finished');
  });

  it('clears the points and samples when a new task is requested', () => {
    const state = run(loaded, progress(1, 8), requested('bert', 'cpu'));
    expect(state.points).toEqual([]);
    expect(state.heldOutLosses).toEqual([]);
    expect(state.summary).toBeUndefined();
    expect(statusText(state)).toBe('Building the bert task on cpu…');
  });

  it('reports the base model pre-training of a fine-tuning task while it loads', () => {
    const state = run(requested('lora', 'wasm'), { type: 'preparing', step: 3, totalSteps: 120 });
    expect(statusText(state)).toBe(
      'Pre-training the causal base model for lora on wasm from scratch: step 3 of 120…',
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
    expect(startLabel(run(loaded))).toBe('Start');
    const running = run(loaded, { type: 'running', running: true });
    expect(enabledControls(running)).toEqual({ start: false, pause: true, reset: true });
  });

  it('name the backend and run length while training, without a per-step message', () => {
    const state = run(loaded, { type: 'running', running: true }, progress(1, 8));
    expect(statusText(state)).toBe('Training on wasm up to step 2…');
    expect(statusText(reduceAppState(state, progress(2, 7)))).toBe(statusText(state));
    const paused = reduceAppState(state, { type: 'running', running: false });
    expect(statusText(paused)).toBe('Paused at step 1 of 2. Resume goes on, Reset starts over.');
    expect(startLabel(paused)).toBe('Resume');
    expect(statusText(run(loaded))).toBe('Ready on wasm: press Start to train 2 steps.');
  });
});
