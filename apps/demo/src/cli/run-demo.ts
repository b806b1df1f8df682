import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import type { CausalDecoder } from '@lm-objectives/models';
import { formatBatchExplanation } from '@lm-objectives/trainer';
import { createProgressReporter, type ReporterStream } from '@lm-objectives/trainer/node';
import * as tf from '@tensorflow/tfjs-core';
import type { Corpus } from '../corpus/corpus';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import { BERT_TASK_DEFAULTS, createBertTask } from '../tasks/bert-task';
import { type CausalTask, createCausalTask } from '../tasks/causal-task';
import type { DemoTask, DemoTaskId } from '../tasks/demo-task';
import type { FineTuningTask } from '../tasks/fine-tuning-data';
import { createGlmTask, GLM_TASK_DEFAULTS } from '../tasks/glm-task';
import {
  fineTuningChecks,
  LORA_MAX_TRAINABLE_SHARE,
  type PhaseCheck,
  pretrainingChecks,
} from '../tasks/goals';
import { createLoraTask, type LoraTask } from '../tasks/lora-task';
import { loadCausalCheckpoint } from '../tasks/model-checkpoint';
import { createPrefixTask } from '../tasks/prefix-task';
import type { ObjectiveChoice } from './parse-arguments';
import { type DemoRunResult, type PhaseResult, type PhaseStart, startText } from './phase-result';

/** The phases each `--objective` runs, in order (`--from-scratch` adds `causal` before `lora`/`prefix`). */
export const PHASES: Readonly<Record<ObjectiveChoice, readonly DemoTaskId[]>> = Object.freeze({
  all: ['bert', 'glm', 'causal', 'lora', 'prefix'],
  bert: ['bert'],
  glm: ['glm'],
  causal: ['causal'],
  lora: ['lora'],
  prefix: ['prefix'],
});

/** What {@link runDemo} needs. */
export interface RunDemoOptions {
  readonly corpus: Corpus;
  readonly tokenizer: WordPieceTokenizer;
  readonly objective: ObjectiveChoice;
  readonly seed: number;
  /** Steps of every phase; `undefined` keeps each phase's default. */
  readonly steps: number | undefined;
  /**
   * Start BERT and GLM from fresh weights instead of their shipped checkpoints, and fine-tune the
   * causal model this run pre-trains instead of the shipped one (pre-training it first when
   * `--objective` is `lora` or `prefix`).
   */
  readonly fromScratch: boolean;
  /** Log each phase's first training row as its objective's `explainBatch` lays it out, before training. */
  readonly explain?: boolean;
  /** A shipped checkpoint's bytes (read lazily: only the phases that start from one need it). */
  readonly checkpoint: (task: 'bert' | 'glm' | 'causal') => Uint8Array;
  /** Progress lines and bars (a TTY gets a bar redrawn in place). */
  readonly progress: ReporterStream;
  /** Announces each phase (`'BERT (masked LM + NSP): …'`). */
  readonly log: (line: string) => void;
}

/** The phases a run executes: `--from-scratch` pre-trains the causal base of the fine-tuning phases. */
export function phasesOf(objective: ObjectiveChoice, fromScratch: boolean): DemoTaskId[] {
  const phases = [...PHASES[objective]];
  const fineTunes = phases.some((id) => id === 'lora' || id === 'prefix');
  if (fromScratch && fineTunes && !phases.includes('causal')) phases.unshift('causal');
  return phases;
}

/**
 * Runs the phases of `--objective` one after another on the current tfjs backend: for each, the
 * held-out evaluation before and after training, the training curve, the pace, the parameter
 * counts, sample predictions and the checks. BERT and GLM go on from their shipped checkpoints
 * (from fresh weights with `fromScratch`), the causal model starts from scratch, LoRA and prefix
 * tuning fine-tune the shipped causal checkpoint (with `fromScratch` the causal model of this
 * run). Every task and model is disposed at the end.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoRunResult> {
  const { corpus, tokenizer, seed, steps } = options;
  const common = { corpus, tokenizer, seed, ...(steps === undefined ? {} : { steps }) };
  const started = performance.now();
  const phases: PhaseResult[] = [];
  let causal: CausalTask | undefined;
  let shipped: CausalDecoder | undefined;
  const base = (): { model: CausalDecoder; start: PhaseStart } => {
    if (options.fromScratch) {
      if (!causal)
        throw new Error('runDemo: --from-scratch fine-tuning needs the causal phase first.');
      return { model: causal.model, start: 'this run' };
    }
    shipped ??= loadCausalCheckpoint(options.checkpoint('causal'), tokenizer).model;
    return { model: shipped, start: 'checkpoint' };
  };
  // BERT and GLM go on from their shipped checkpoints at the learning rate their checkpoint run
  // ended with (the schedule's floor, a tenth of the peak), unless --from-scratch.
  const start: PhaseStart = options.fromScratch ? 'scratch' : 'pre-trained';
  const pretraining = (id: 'bert' | 'glm', defaults: { readonly learningRate: number }) =>
    options.fromScratch
      ? common
      : {
          ...common,
          checkpoint: options.checkpoint(id),
          learningRate: defaults.learningRate / 10,
        };
  /** Runs a phase and disposes its task, even when training throws. */
  const runAndDispose = async <Batch extends ObjectiveBatchV1>(
    task: DemoTask<Batch>,
    start: PhaseStart,
    extraChecks: () => PhaseCheck[] = () => [],
  ) => {
    try {
      phases.push(await runPhase(task, start, options, extraChecks));
    } finally {
      task.dispose();
    }
  };
  try {
    for (const id of phasesOf(options.objective, options.fromScratch)) {
      switch (id) {
        case 'bert':
          await runAndDispose(createBertTask(pretraining('bert', BERT_TASK_DEFAULTS)), start);
          break;
        case 'glm':
          await runAndDispose(createGlmTask(pretraining('glm', GLM_TASK_DEFAULTS)), start);
          break;
        case 'causal':
          // With --from-scratch the causal model is the base of the fine-tuning phases: disposed last.
          causal = createCausalTask(common);
          phases.push(await runPhase(causal, 'scratch', options));
          break;
        case 'lora': {
          const { model, start } = base();
          const task = createLoraTask({ ...common, base: model });
          await runAndDispose(task, start, () => loraChecks(task));
          break;
        }
        case 'prefix': {
          const { model, start } = base();
          const task = createPrefixTask({ ...common, base: model });
          await runAndDispose(task, start, () => [frozenBaseCheck(task)]);
          break;
        }
      }
    }
  } finally {
    causal?.dispose();
    shipped?.dispose();
  }
  return {
    backend: tf.getBackend(),
    seed,
    phases,
    wallMs: performance.now() - started,
    passed: phases.every((phase) => phase.checks.every((check) => check.passed)),
  };
}

async function runPhase<Batch extends ObjectiveBatchV1>(
  task: DemoTask<Batch>,
  start: PhaseStart,
  options: RunDemoOptions,
  extraChecks: () => PhaseCheck[] = () => [],
): Promise<PhaseResult> {
  options.log(`\n${task.title} (${startText(start)}): ${task.description}`);
  if (options.explain) {
    options.log(
      `The first training row, as the objective explains it (explainBatch):\n${formatBatchExplanation(task.explainBatch())}`,
    );
  }
  const fineTuning = task.id === 'lora' || task.id === 'prefix';
  const before = task.evaluate();
  const samplesBefore = fineTuning ? task.samplePredictions() : [];
  const trainingLosses: number[] = [];
  const report = createProgressReporter({ stream: options.progress });
  const started = performance.now();
  const summary = await task.train({
    onProgress: (progress) => {
      trainingLosses.push(progress.loss);
      report(progress);
    },
  });
  const trainingMs = performance.now() - started;
  report.done(summary);
  const after = task.evaluate();
  const checks: PhaseCheck[] = [
    ...(task.id === 'lora' || task.id === 'prefix'
      ? fineTuningChecks(task.id, before, after)
      : pretrainingChecks(task.id, task.baseline, after)),
    ...extraChecks(),
  ];
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    steps: summary.stepsRun,
    start,
    baseline: task.baseline,
    before,
    after,
    trainingLosses,
    tokensPerSecond: summary.tokensPerSecond,
    trainingMs,
    parameters: task.parameterCounts,
    samplesBefore,
    samplesAfter: task.samplePredictions(),
    checks,
  };
}

function loraChecks(task: LoraTask): PhaseCheck[] {
  const share = task.parameterCounts.trainable / task.parameterCounts.total;
  return [
    {
      name: `trainable < ${100 * LORA_MAX_TRAINABLE_SHARE}% of parameters`,
      passed: share < LORA_MAX_TRAINABLE_SHARE,
      detail: `${(100 * share).toFixed(2)}%`,
    },
    frozenBaseCheck(task),
  ];
}

function frozenBaseCheck(task: FineTuningTask): PhaseCheck {
  return {
    name: 'base weights bit-identical',
    passed: task.baseWeightsUnchanged(),
    detail: `${Object.keys(task.model.weights).length} tensors compared`,
  };
}
