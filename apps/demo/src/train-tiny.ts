/**
 * The smallest real end-to-end run of lm-objectives: a tiny character-level language model trained
 * on the opening of "Alice's Adventures in Wonderland" with `crossEntropy` (shifted inside the
 * loss), `embeddingLookup` and `linear`, on TensorFlow.js's wasm backend. Prints the loss falling
 * and a greedy sample before and after training.
 *
 * Usage: `npm run demo` at the repository root (or `pnpm --filter @lm-objectives/demo train:tiny -- --steps 300 --seed 1`).
 */
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { createCharacterVocabulary } from './character-vocabulary';
import { ALICE_OPENING } from './corpus';
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
  const optimizer = tf.train.adam(0.01);
  const random = createRng(seed);
  const prompt = vocabulary.encode('Alice was ');

  console.log(
    `lm-objectives tiny demo · backend ${tf.getBackend()} · ${corpus.length} characters, vocabulary ${vocabulary.size}`,
  );
  console.log(
    `Training a ${model.weights.reduce((total, weight) => total + weight.size, 0).toLocaleString('en')}-parameter causal window model for ${steps} steps (batch ${batchSize} × ${length} characters, seed ${seed}).`,
  );
  console.log(
    `Uniform guessing scores ln(${vocabulary.size}) = ${Math.log(vocabulary.size).toFixed(3)} nats per character.\n`,
  );
  console.log(`before: ${JSON.stringify(vocabulary.decode(generateGreedy(model, prompt, 60)))}`);

  const tensorsAtStart = tf.memory().numTensors;
  const started = performance.now();
  let firstLoss = Number.NaN;
  let lastLoss = Number.NaN;
  for (let step = 1; step <= steps; step++) {
    const batch = sampleWindows(corpus, batchSize, length, random);
    const loss = optimizer.minimize(
      () => model.loss(batch, batchSize, length),
      true,
      model.weights,
    )!;
    lastLoss = loss.dataSync()[0]!;
    loss.dispose();
    if (step === 1) firstLoss = lastLoss;
    if (step === 1 || step % 50 === 0 || step === steps) {
      const seconds = (performance.now() - started) / 1000;
      const tokensPerSecond = Math.round((step * batchSize * (length - 1)) / seconds);
      console.log(
        `step ${String(step).padStart(4)}  loss ${lastLoss.toFixed(4)}  ${tokensPerSecond.toLocaleString('en')} tokens/s  tensors ${tf.memory().numTensors}`,
      );
    }
  }
  const tensorsAtEnd = tf.memory().numTensors;
  console.log(`\nafter:  ${JSON.stringify(vocabulary.decode(generateGreedy(model, prompt, 60)))}`);
  console.log(
    `\nloss ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)} nats per character in ${((performance.now() - started) / 1000).toFixed(1)} s; tensors in memory before and after training: ${tensorsAtStart} → ${tensorsAtEnd} (optimizer state included).`,
  );
  optimizer.dispose();
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
