import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import { createProgressReporter, type ReporterStream } from '@lm-objectives/trainer/node';
import * as tf from '@tensorflow/tfjs-core';
import type { Corpus } from '../corpus/corpus';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import { createBertTask } from '../tasks/bert-task';
import { type CausalTask, createCausalTask } from '../tasks/causal-task';
import type { DemoTask, DemoTaskId } from '../tasks/demo-task';
import type { FineTuningTask } from '../tasks/fine-tuning-data';
import { createGlmTask } from '../tasks/glm-task';
import { createLoraTask, type LoraTask } from '../tasks/lora-task';
import { createPrefixTask } from '../tasks/prefix-task';
import type { ObjectiveChoice } from './parse-arguments';
import type { DemoRunResult, PhaseResult } from './phase-result';
import { LORA_MAX_TRAINABLE_SHARE, lossCheck, type PhaseCheck } from './thresholds';

/** The phases each `--objective` runs, in order. */
export const PHASES: Readonly<Record<ObjectiveChoice, readonly DemoTaskId[]>> = Object.freeze({
  all: ['bert', 'glm', 'causal', 'lora', 'prefix'],
  bert: ['bert'],
  glm: ['glm'],
  lora: ['causal', 'lora'],
  prefix: ['causal', 'prefix'],
});

/** What {@link runDemo} needs. */
export interface RunDemoOptions {
  readonly corpus: Corpus;
  readonly tokenizer: WordPieceTokenizer;
  readonly objective: ObjectiveChoice;
  readonly seed: number;
  /** Steps of every phase; `undefined` keeps each phase's default. */
  readonly steps: number | undefined;
  /** Progress lines and bars (a TTY gets a bar redrawn in place). */
  readonly progress: ReporterStream;
  /** Announces each phase (`'BERT (masked LM + NSP): …'`). */
  readonly log: (line: string) => void;
}

/**
 * Runs the phases of `--objective` one after another on the current tfjs backend: for each, the
 * evaluation loss before and after training, the training curve, the pace, the parameter counts,
 * sample predictions and the checks. The causal model stays alive for the fine-tuning phases and
 * every task is disposed at the end.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoRunResult> {
  const { corpus, tokenizer, seed, steps } = options;
  const common = { corpus, tokenizer, seed, ...(steps === undefined ? {} : { steps }) };
  const started = performance.now();
  const phases: PhaseResult[] = [];
  let causal: CausalTask | undefined;
  const requireCausal = (): CausalTask => {
    if (!causal) throw new Error('runDemo: a fine-tuning phase needs the causal phase first.');
    return causal;
  };
  /** Runs a phase and disposes its task, even when training throws. */
  const runAndDispose = async <Batch extends ObjectiveBatchV1>(
    task: DemoTask<Batch>,
    extraChecks: () => PhaseCheck[] = () => [],
  ) => {
    try {
      phases.push(await runPhase(task, options, extraChecks));
    } finally {
      task.dispose();
    }
  };
  try {
    for (const id of PHASES[options.objective]) {
      switch (id) {
        case 'bert':
          await runAndDispose(createBertTask(common));
          break;
        case 'glm':
          await runAndDispose(createGlmTask(common));
          break;
        case 'causal':
          // The causal model is the base of the fine-tuning phases: it is disposed last.
          causal = createCausalTask(common);
          phases.push(await runPhase(causal, options));
          break;
        case 'lora': {
          const task = createLoraTask({ ...common, base: requireCausal().model });
          await runAndDispose(task, () => loraChecks(task));
          break;
        }
        case 'prefix': {
          const task = createPrefixTask({ ...common, base: requireCausal().model });
          await runAndDispose(task, () => [frozenBaseCheck(task)]);
          break;
        }
      }
    }
  } finally {
    causal?.dispose();
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
  options: RunDemoOptions,
  extraChecks: () => PhaseCheck[] = () => [],
): Promise<PhaseResult> {
  options.log(`\n${task.title}: ${task.description}`);
  const fineTuning = task.id === 'lora' || task.id === 'prefix';
  const initialLoss = task.evaluate();
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
  const finalLoss = task.evaluate();
  const checks: PhaseCheck[] = [lossCheck(task.id, initialLoss, finalLoss), ...extraChecks()];
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    steps: summary.stepsRun,
    initialLoss,
    finalLoss,
    uniformLoss: Math.log(task.vocabularySize),
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
