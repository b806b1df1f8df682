// Trains the demo's shipped checkpoints with the demo's own tasks and trainer — the same objective,
// data and schedule as the CLI's phases, only for more steps — and writes them as float16
// safetensors: BERT and GLM (the CLI's and the page's starting points for those phases) and the
// causal model that LoRA and prefix tuning fine-tune. Deterministic: the same command writes the
// same bytes on the same backend.
//
// Run: pnpm --filter @lm-objectives/demo checkpoints [-- bert glm causal]   (default: all three)
//
// Writes checkpoints/<task>.safetensors. The held-out loss, the unigram loss and the accuracy are
// printed every tenth of the run and recorded in the checkpoint's metadata.
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { checkpointUrl } from '../src/cli/checkpoint-file';
import { loadCorpus, loadTokenizer } from '../src/corpus/node';
import {
  BERT_TASK_DEFAULTS,
  CAUSAL_TASK_DEFAULTS,
  createBertTask,
  createCausalTask,
  createGlmTask,
  type DemoTask,
  GLM_TASK_DEFAULTS,
} from '../src/tasks/index';
import { encodeCheckpoint } from '../src/tasks/model-checkpoint';

/** Optimizer steps of each shipped checkpoint (the CLI's from-scratch phases run far fewer). */
export const CHECKPOINT_STEPS = Object.freeze({ bert: 1500, glm: 2500, causal: 2000 });
type CheckpointTask = keyof typeof CHECKPOINT_STEPS;
const SEED = 1;

tf.env().set('PROD', true);
await tf.setBackend('wasm');
const corpus = loadCorpus();
const tokenizer = loadTokenizer();
const requested = process.argv.slice(2).filter((argument) => argument !== '--');
const tasks = (
  requested.length > 0 ? requested : Object.keys(CHECKPOINT_STEPS)
) as CheckpointTask[];
for (const id of tasks) {
  if (!(id in CHECKPOINT_STEPS))
    throw new Error(`train-checkpoints: unknown task ${id}; use bert, glm or causal.`);
}

for (const id of tasks) {
  const steps = CHECKPOINT_STEPS[id];
  const options = { corpus, tokenizer, seed: SEED, steps };
  const task: DemoTask = (id === 'bert'
    ? createBertTask(options)
    : id === 'glm'
      ? createGlmTask(options)
      : createCausalTask(options)) as unknown as DemoTask;
  const defaults = {
    bert: BERT_TASK_DEFAULTS,
    glm: GLM_TASK_DEFAULTS,
    causal: CAUSAL_TASK_DEFAULTS,
  }[id];
  const started = performance.now();
  const line = (step: number) => {
    const evaluation = task.evaluate();
    console.log(
      `${id} step ${step}/${steps}: held-out ${evaluation.tokenLoss.toFixed(3)} (unigram ${task.baseline.unigramLoss.toFixed(3)}), accuracy ${(100 * (evaluation.accuracy ?? 0)).toFixed(1)}% (most-frequent ${(100 * task.baseline.mostFrequentRate).toFixed(1)}%), ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    return evaluation;
  };
  for (let step = 1; step <= steps; step++) {
    task.step();
    if (step % Math.round(steps / 10) === 0 && step < steps) line(step);
  }
  const evaluation = line(steps);
  const training = {
    steps: String(steps),
    seed: String(SEED),
    batchSize: String(defaults.batchSize),
    sequenceLength: String(defaults.sequenceLength),
    learningRate: String(defaults.learningRate),
    heldOutLoss: evaluation.tokenLoss.toFixed(4),
    heldOutAccuracy: (evaluation.accuracy ?? Number.NaN).toFixed(4),
    unigramLoss: task.baseline.unigramLoss.toFixed(4),
    mostFrequentRate: task.baseline.mostFrequentRate.toFixed(4),
    script: 'apps/demo/scripts/train-checkpoints.ts',
  };
  const bytes = encodeCheckpoint(task.model, tokenizer, training, {
    task: id,
    heads: task.objective.trainableWeights(),
  });
  const url = checkpointUrl(id);
  writeFileSync(url, bytes);
  task.dispose();
  console.log(
    `Wrote ${fileURLToPath(url)}: ${(bytes.length / 1024).toFixed(0)} KiB, ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}
