// Trains the demo's shipped checkpoint — the causal model that LoRA and prefix tuning fine-tune —
// with the demo's own causal task and trainer, only for longer than the CLI's from-scratch phase,
// and writes it as float16 safetensors. Deterministic: the same command writes the same bytes.
// Run: pnpm --filter @lm-objectives/demo checkpoints   (about 4 minutes of one core on wasm)
//
// Writes checkpoints/causal.safetensors.
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProgressReporter } from '@lm-objectives/trainer/node';
import * as tf from '@tensorflow/tfjs-core';
import { CAUSAL_CHECKPOINT_URL } from '../src/cli/checkpoint-file';
import { loadCorpus, loadTokenizer } from '../src/corpus/node';
import { CAUSAL_TASK_DEFAULTS, createCausalTask } from '../src/tasks/causal-task';
import { encodeCheckpoint } from '../src/tasks/model-checkpoint';

/** Optimizer steps of the shipped causal model (the CLI's from-scratch phase runs far fewer). */
export const CAUSAL_CHECKPOINT_STEPS = 2000;
const SEED = 1;

tf.env().set('PROD', true);
await tf.setBackend('wasm');
const corpus = loadCorpus();
const tokenizer = loadTokenizer();
const task = createCausalTask({ corpus, tokenizer, seed: SEED, steps: CAUSAL_CHECKPOINT_STEPS });
console.log(`${task.title}, ${CAUSAL_CHECKPOINT_STEPS} steps: ${task.description}`);
const report = createProgressReporter({ stream: process.stderr });
const started = performance.now();
const summary = await task.train({ onProgress: report });
report.done(summary);
const evaluation = task.evaluate();
const training = {
  steps: String(CAUSAL_CHECKPOINT_STEPS),
  seed: String(SEED),
  batchSize: String(CAUSAL_TASK_DEFAULTS.batchSize),
  sequenceLength: String(CAUSAL_TASK_DEFAULTS.sequenceLength),
  learningRate: String(CAUSAL_TASK_DEFAULTS.learningRate),
  heldOutLoss: evaluation.tokenLoss.toFixed(4),
  heldOutAccuracy: (evaluation.accuracy ?? Number.NaN).toFixed(4),
  unigramLoss: task.baseline.unigramLoss.toFixed(4),
  script: 'apps/demo/scripts/train-checkpoints.ts',
};
const bytes = encodeCheckpoint(task.model, tokenizer, training);
writeFileSync(CAUSAL_CHECKPOINT_URL, bytes);
task.dispose();
console.log(
  `Wrote ${fileURLToPath(CAUSAL_CHECKPOINT_URL)}: ${(bytes.length / 1024).toFixed(0)} KiB, held-out loss ${training.heldOutLoss} (unigram ${training.unigramLoss}), accuracy ${training.heldOutAccuracy}, ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
