// The messages between the page and the training worker. Everything here is plain, structured-
// cloneable data (no tensors, no class instances), so the page never touches TensorFlow.js. The
// explanations and sample predictions are the task modules' own types, passed through unchanged.
import type {
  DemoTaskId,
  SamplePrediction,
  TaskEvaluation,
  TaskExplanation,
} from '../tasks/demo-task';
import type { TokenBaseline } from '../tasks/token-baseline';
import type { BackendChoice } from './backend-choice';

/**
 * The objectives the page offers (one task module each, `src/tasks/`), in menu order: the
 * pre-training objectives, the causal LM last among them, then the fine-tuning methods built on it.
 */
export const OBJECTIVE_NAMES = [
  'bert',
  'glm',
  'causal',
  'lora',
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

/**
 * Where a model starts. BERT and GLM: their shipped checkpoint (training goes on from it), or fresh
 * weights. LoRA and prefix tuning (their frozen causal base): the shipped causal checkpoint, or a
 * causal model pre-trained on this page (the one "Causal LM" trained, else trained from scratch
 * first). The causal LM always starts from scratch.
 */
export const BASE_SOURCES = ['checkpoint', 'scratch'] as const;
/** One of {@link BASE_SOURCES}. */
export type BaseSource = (typeof BASE_SOURCES)[number];

/** Where a loaded task's model started. */
export type ModelStart =
  | { readonly kind: 'scratch' }
  /** BERT, GLM: their own shipped checkpoint, pre-trained `steps` steps. */
  | { readonly kind: 'pretrained'; readonly steps: number }
  /** LoRA, prefix tuning: the shipped causal checkpoint as the frozen base. */
  | { readonly kind: 'checkpoint'; readonly steps: number }
  | { readonly kind: 'page'; readonly steps: number };

/** One training step's numbers. */
export interface ProgressPoint {
  readonly step: number;
  /** The training loss per scored token (BERT: its masked-LM part), comparable with the baselines. */
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
  /** The steps a full run takes (its learning-rate schedule); training can go on past them. */
  readonly totalSteps: number;
  /** The held-out batch's baselines: $\ln V$, the unigram loss, the most-frequent-token rate. */
  readonly baseline: TokenBaseline;
  /** Where the model (LoRA, prefix tuning: the frozen base) started. */
  readonly start: ModelStart;
}

/** What the visualisers draw: one explained row (fixed for the run), the samples and the held-out numbers. */
export interface TaskSnapshot {
  /** Completed steps when the samples were taken. */
  readonly step: number;
  readonly samples: readonly SamplePrediction[];
  /** The task on its held-out batch at that step. */
  readonly evaluation: TaskEvaluation;
}

/** Page → worker. */
export type PageMessage =
  | { readonly type: 'probe' }
  | {
      readonly type: 'load';
      readonly objective: ObjectiveName;
      readonly backend: BackendName;
      readonly seed: number;
      /** LoRA / prefix tuning: the shipped base or one pre-trained on this page. */
      readonly base: BaseSource;
      /** Pre-training steps of a page-trained causal base (`undefined`: the causal task's run). */
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
      /** Sample predictions and held-out numbers before training (LoRA's "before"). */
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
  | {
      readonly type: 'running';
      readonly running: boolean;
      /** While running: the step this run of training stops at (past `totalSteps` when training on). */
      readonly untilStep?: number;
    }
  | { readonly type: 'error'; readonly message: string };
