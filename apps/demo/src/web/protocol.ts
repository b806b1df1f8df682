// The messages between the page and the training worker. Everything here is plain, structured-
// cloneable data (no tensors, no class instances), so the page never touches TensorFlow.js. The
// explanations and sample predictions are the task modules' own types, passed through unchanged.
import type { DemoTaskId, SamplePrediction, TaskExplanation } from '../tasks/demo-task';
import type { BackendChoice } from './backend-choice';

/** The objectives the page offers (one task module each, `src/tasks/`), in menu order. */
export const OBJECTIVE_NAMES = [
  'bert',
  'glm',
  'lora',
  'causal',
  'prefix',
] as const satisfies readonly DemoTaskId[];
/** One of {@link OBJECTIVE_NAMES}. */
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

/**
 * The TensorFlow.js backends the page offers. The worker picks one (`backend-choice.ts`): the
 * fastest that works here, in the order WebGPU, wasm (threaded when cross-origin isolated), WebGL,
 * cpu.
 */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** One training step's numbers. */
export interface ProgressPoint {
  readonly step: number;
  readonly loss: number;
  /** The step's accuracy metrics in [0, 1] by metric name (empty when the objective has none). */
  readonly accuracies: Readonly<Record<string, number>>;
  readonly tokensPerSecond: number;
}

/** Static facts about a loaded task. */
export interface TaskSummary {
  readonly objective: ObjectiveName;
  readonly backend: BackendName;
  readonly seed: number;
  readonly trainableParameters: number;
  readonly totalParameters: number;
  /** The task's title, e.g. `'BERT (masked LM + NSP)'`. */
  readonly title: string;
  /** A one-line description of the model and objective. */
  readonly description: string;
  /** The steps a full run takes. */
  readonly totalSteps: number;
  /** The loss of uniform guessing (`uniformLoss`) and its legend label. */
  readonly uniformLoss: number;
  readonly uniformLossLabel: string;
}

/** What the visualisers draw: one explained row (fixed for the run) and the sample predictions. */
export interface TaskSnapshot {
  /** Completed steps when the samples were taken. */
  readonly step: number;
  readonly samples: readonly SamplePrediction[];
}

/** Page → worker. */
export type PageMessage =
  | { readonly type: 'probe' }
  | {
      readonly type: 'load';
      readonly objective: ObjectiveName;
      readonly backend: BackendName;
      readonly seed: number;
      /** Pre-training steps of the causal base for LoRA / prefix tuning (`undefined`: the full run). */
      readonly baseSteps: number | undefined;
    }
  | { readonly type: 'start' }
  | { readonly type: 'pause' };

/** Worker → page. */
export type WorkerMessage =
  | {
      readonly type: 'backends';
      readonly available: readonly BackendName[];
      /** The backend the worker picked, why, and what it found out about each one. */
      readonly choice: BackendChoice;
    }
  | {
      readonly type: 'loaded';
      readonly summary: TaskSummary;
      readonly explanation: TaskExplanation;
      /** Sample predictions of the untrained model (LoRA's "before"). */
      readonly snapshot: TaskSnapshot;
    }
  | {
      /** LoRA and prefix tuning: the causal base model is being pre-trained before the task exists. */
      readonly type: 'preparing';
      readonly step: number;
      readonly totalSteps: number;
    }
  | { readonly type: 'progress'; readonly point: ProgressPoint }
  | { readonly type: 'snapshot'; readonly snapshot: TaskSnapshot }
  | { readonly type: 'running'; readonly running: boolean }
  | { readonly type: 'error'; readonly message: string };
