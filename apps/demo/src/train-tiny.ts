/**
 * The smallest real end-to-end run of lm-objectives: a tiny character-level language model trained
 * on the opening of "Alice's Adventures in Wonderland" through `@lm-objectives/trainer` (AdamW,
 * clipping, warmup + cosine schedule, leak guard) with the demo's own `demo/next-character`
 * objective, written with `defineObjective` and scored by core's `tokenCrossEntropy` (shifted
 * inside the loss), on TensorFlow.js's wasm backend. Prints the loss falling and a greedy sample
 * before and after training.
 *
 * Usage: `npm run demo` at the repository root, or
 * `pnpm --filter @lm-objectives/demo train:tiny -- --steps 300 --seed 1 [--explain]`.
 */
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  createLearningRateSchedule,
  createTrainer,
  explainBatch,
  formatBatchExplanation,
} from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { createCharacterVocabulary } from './character-vocabulary';
import { ALICE_OPENING } from './corpus';
import { nextCharacterObjective } from './next-character-objective';
import { createTinyModel, generateGreedy, sampleWindows } from './tiny-model';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value))
    throw new Error(`--${name} expects a number, got ${process.argv[index + 1]}`);
  return value;
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
  const steps = option('steps', 300);
  const seed = option('seed', 1);
  const batchSize = 32;
  const length = 64;
  const vocabulary = createCharacterVocabulary(ALICE_OPENING);
  const corpus = vocabulary.encode(ALICE_OPENING);
  const model = createTinyModel({
    vocabularySize: vocabulary.size,
    window: 6,
    embeddingSize: 24,
    hiddenSize: 192,
    seed,
  });
  const trainer = createTrainer({
    objective: nextCharacterObjective,
    model: {
      variables: model.weights,
      embeddings: [model.weights[0]!],
      inputFields: ['inputIds'],
      apply: ({ tensors }) => ({ logits: model.logits(tensors.inputIds as tf.Tensor2D) }),
    },
    learningRate: createLearningRateSchedule({
      peak: 0.01,
      warmupSteps: 20,
      totalSteps: steps,
      minimum: 0.001,
    }),
    optimizer: { weightDecay: 0 },
    seed,
  });
  const prompt = vocabulary.encode('Alice was ');
  const decode = (id: number) => vocabulary.decode([id]);

  console.log(
    `lm-objectives tiny demo · backend ${tf.getBackend()} · ${corpus.length} characters, vocabulary ${vocabulary.size}`,
  );
  console.log(
    `Training a ${model.weights.reduce((total, weight) => total + weight.size, 0).toLocaleString('en')}-parameter causal window model for ${steps} steps with @lm-objectives/trainer (AdamW, warmup + cosine, batch ${batchSize} × ${length} characters, seed ${seed}).`,
  );
  console.log(
    `Uniform guessing scores ln(${vocabulary.size}) = ${Math.log(vocabulary.size).toFixed(3)} nats per character.\n`,
  );
  if (process.argv.includes('--explain')) {
    const batch = nextCharacterObjective.createBatch([corpus.subarray(0, 16)], {
      random: trainer.random,
    });
    console.log(
      formatBatchExplanation(explainBatch(nextCharacterObjective, batch, { decode }), { decode }),
    );
    console.log('');
  }
  console.log(`before: ${JSON.stringify(vocabulary.decode(generateGreedy(model, prompt, 60)))}`);

  const tensorsAtStart = tf.memory().numTensors;
  let firstLoss = Number.NaN;
  const summary = await trainer.train({
    totalSteps: steps,
    nextWindow: ({ random, createBatch }) => {
      const windows = sampleWindows(corpus, batchSize, length, random);
      return [
        createBatch(
          Array.from({ length: batchSize }, (_, row) =>
            windows.subarray(row * length, (row + 1) * length),
          ),
        ),
      ];
    },
    onProgress: ({ step, loss, metrics, tokensPerSecond, learningRate, memory }) => {
      if (step === 1) firstLoss = loss;
      if (step === 1 || step % 50 === 0 || step === steps) {
        console.log(
          `step ${String(step).padStart(4)}  loss ${loss.toFixed(4)}  accuracy ${(metrics.accuracy ?? 0).toFixed(3)}  lr ${learningRate.toExponential(2)}  ${Math.round(tokensPerSecond).toLocaleString('en')} tokens/s  tensors ${memory.numTensors}`,
        );
      }
    },
  });
  const tensorsAtEnd = tf.memory().numTensors;
  const lastLoss = summary.last?.loss ?? Number.NaN;
  console.log(`\nafter:  ${JSON.stringify(vocabulary.decode(generateGreedy(model, prompt, 60)))}`);
  console.log(
    `\nloss ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)} nats per character in ${(summary.elapsedMs / 1000).toFixed(1)} s; tensors in memory before and after training: ${tensorsAtStart} → ${tensorsAtEnd} (AdamW's moments included).`,
  );
  trainer.dispose();
  model.dispose();
  if (!(lastLoss < firstLoss * 0.6)) {
    console.error('The loss did not fall as expected.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
