/**
 * Benchmarks of @lm-objectives/trainer, measured side by side in one process on the wasm backend:
 *
 * - the trainer's step (accumulation bookkeeping, global-norm clipping, AdamW, one read-back, the
 *   leak guard) against a plain tfjs loop (`tf.train.adam().minimize`) on the same model;
 * - the leak guard on and off;
 * - a window of 4 micro-batches against one batch of the same 32 rows;
 * - the backend probe against one step;
 * - checkpoint save and load (files) throughput.
 *
 * Each comparison alternates its variants call by call, runs several rounds after a warm-up and
 * reports the median time per call. `--smoke` runs a seconds-long version for CI. Results go to
 * `bench/results/results.json` and `bench/results/results.md` (not written by --smoke).
 */
import './register-gradients';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer, probeBackend } from '../src/index';
import { loadCheckpointFromDirectory, saveCheckpointToDirectory } from '../src/node';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
  type TinyBatch,
} from '../src/test-support/trainer-fixtures';

const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 2 : 7;
const STEPS = smoke ? 3 : 20;
const VOCABULARY = 64;
const BATCH = 32;
const LENGTH = 64;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median milliseconds per call of each variant. The variants alternate call by call (in a rotating
 * order), so that the load of a shared machine falls on all of them alike; one warm-up round first.
 */
async function compare(
  variants: Record<string, () => void | Promise<void>>,
  calls = STEPS,
): Promise<Record<string, number>> {
  const entries = Object.entries(variants);
  const times: Record<string, number[]> = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (let call = 0; call < calls; call++) {
      for (let offset = 0; offset < entries.length; offset++) {
        const [name, run] = entries[(call + offset) % entries.length]!;
        const started = performance.now();
        await run();
        if (round >= 0) times[name]!.push(performance.now() - started);
      }
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

function demoSizedModel(seed = 7) {
  return createTinyModel({ vocabularySize: VOCABULARY, hiddenSize: 192, seed });
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
  const objective = createTinyObjective(VOCABULARY);
  const examples = randomExamples(
    Array.from({ length: BATCH }, () => LENGTH),
    1,
    VOCABULARY,
  );
  const batch: TinyBatch = makeTinyBatch(examples);
  const window = [0, 1, 2, 3].map((part) => makeTinyBatch(examples.slice(part * 8, part * 8 + 8)));
  const tokensPerStep = BATCH * LENGTH;

  // 1. Trainer step vs a plain tfjs loop, and the leak guard's cost.
  const plainModel = demoSizedModel();
  const adam = tf.train.adam(1e-3);
  const plainStep = () => {
    const loss = adam.minimize(
      () => {
        const tensors = {
          inputIds: tf.tensor(batch.fields.inputIds.data, [BATCH, LENGTH], 'int32'),
        };
        const outputs = plainModel.apply({ tensors, batch, training: true });
        return objective.computeLoss({ outputs, batch }).loss;
      },
      true,
      plainModel.variables,
    )!;
    loss.dataSync();
    loss.dispose();
  };
  const guardedModel = demoSizedModel();
  const guarded = createTrainer({ objective, model: guardedModel, learningRate: 1e-3 });
  const unguardedModel = demoSizedModel();
  const unguarded = createTrainer({
    objective,
    model: unguardedModel,
    learningRate: 1e-3,
    leakGuard: 'off',
  });
  const overhead = await compare({
    'plain tf.train.adam().minimize': plainStep,
    'trainer.trainStep (clip + AdamW + leak guard)': () => void guarded.trainStep([batch]),
    'trainer.trainStep, leakGuard off': () => void unguarded.trainStep([batch]),
  });

  // 2. Accumulation: 4 micro-batches of 8 rows vs 1 batch of 32 rows.
  const accumulation = await compare({
    'one batch of 32 rows': () => void guarded.trainStep([batch]),
    'window of 4 × 8 rows': () => void guarded.trainStep(window),
  });

  // 3. The probe against one step.
  const probe = await compare(
    {
      'one trainStep': () => void guarded.trainStep([batch]),
      probeBackend: async () => {
        await probeBackend({ objective, model: guardedModel, batch });
      },
    },
    smoke ? 1 : 3,
  );

  // 4. Checkpoint throughput (files) on a larger model: 1.6M weights, 19 MB with the AdamW moments;
  // the crash-safe save (fsynced files, versioned directory, atomic switch) beside plain writes.
  const bigModel = createTinyModel({ vocabularySize: 8192, hiddenSize: 96, seed: 3 });
  const big = createTrainer({ objective: createTinyObjective(8192), model: bigModel });
  const directory = await mkdtemp(join(tmpdir(), 'trainer-bench-'));
  const checkpoint = await big.saveCheckpoint();
  const megabytes = checkpoint.arrays.reduce((sum, array) => sum + array.byteLength, 0) / 2 ** 20;
  const files = await compare(
    {
      'saveCheckpoint (read weights and moments)': async () => void (await big.saveCheckpoint()),
      saveCheckpointToDirectory: () => saveCheckpointToDirectory(checkpoint, join(directory, 'c')),
      'plain writeFile of the same bytes (no fsync, not crash-safe)': () =>
        writeFile(
          join(directory, 'plain.bin'),
          Buffer.concat(
            checkpoint.arrays.map(
              (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
            ),
          ),
        ),
      'loadCheckpointFromDirectory + loadCheckpoint': async () =>
        big.loadCheckpoint(await loadCheckpointFromDirectory(join(directory, 'c'))),
    },
    smoke ? 1 : 3,
  );
  await rm(directory, { recursive: true, force: true });

  const plain = overhead['plain tf.train.adam().minimize']!;
  const trainerStep = overhead['trainer.trainStep (clip + AdamW + leak guard)']!;
  const results = {
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, tfjs ${tf.version_core}, wasm backend (1 thread in Node)`,
    note: 'Shared machine: other developers’ jobs ran concurrently; compare ratios, not absolute times.',
    rounds: ROUNDS,
    stepsPerRound: STEPS,
    model: `tiny language model from @lm-objectives/testing: embedding ${VOCABULARY}×192 → tanh(192×192) → ${VOCABULARY} (${guarded.variables.reduce((sum, v) => sum + v.size, 0).toLocaleString('en')} weights), batch ${BATCH}×${LENGTH}`,
    stepMilliseconds: overhead,
    trainerOverPlain: trainerStep / plain,
    leakGuardCost: trainerStep / overhead['trainer.trainStep, leakGuard off']!,
    tokensPerSecond: {
      plain: tokensPerStep / (plain / 1000),
      trainer: tokensPerStep / (trainerStep / 1000),
    },
    accumulationMilliseconds: accumulation,
    accumulationOverOneBatch:
      accumulation['window of 4 × 8 rows']! / accumulation['one batch of 32 rows']!,
    probeMilliseconds: probe,
    probeOverStep: probe['probeBackend']! / probe['one trainStep']!,
    checkpoint: {
      megabytes,
      milliseconds: files,
      saveMegabytesPerSecond: megabytes / (files['saveCheckpointToDirectory']! / 1000),
      crashSafeSaveOverPlainWrite:
        files['saveCheckpointToDirectory']! /
        files['plain writeFile of the same bytes (no fsync, not crash-safe)']!,
      loadMegabytesPerSecond:
        megabytes / (files['loadCheckpointFromDirectory + loadCheckpoint']! / 1000),
    },
  };
  console.log(JSON.stringify(results, null, 2));
  adam.dispose();
  for (const trainer of [guarded, unguarded, big]) trainer.dispose();
  for (const model of [plainModel, guardedModel, unguardedModel, bigModel]) model.dispose();
  if (smoke) return;
  const table = (rows: Record<string, number>) =>
    Object.entries(rows)
      .map(([name, value]) => `| ${name} | ${value.toFixed(2)} |`)
      .join('\n');
  const markdown = `# @lm-objectives/trainer benchmarks

${results.machine}. ${results.note}
Model: ${results.model}. Median over ${ROUNDS} rounds of calls alternating between the variants, after a warm-up round.

## Step cost (ms per step)

| variant | ms |
| --- | --- |
${table(overhead)}

- trainer / plain loop: **${results.trainerOverPlain.toFixed(3)}×** (target ≤ 1.15×)
- leak guard on / off: **${results.leakGuardCost.toFixed(3)}×** (target ≤ 1.02×)
- tokens/s: plain ${Math.round(results.tokensPerSecond.plain).toLocaleString('en')}, trainer ${Math.round(results.tokensPerSecond.trainer).toLocaleString('en')}

## Gradient accumulation (ms per optimizer step, same 32 rows)

| variant | ms |
| --- | --- |
${table(accumulation)}

- window / one batch: **${results.accumulationOverOneBatch.toFixed(3)}×** (target ≤ 1.5×: smaller matrix products cost more per row)

## Backend probe

| variant | ms |
| --- | --- |
${table(probe)}

- probe / one step: **${results.probeOverStep.toFixed(2)}×** (paid once per trainer; target ≤ 5×)

## Checkpoints (files, ${megabytes.toFixed(1)} MB: weights + AdamW moments)

| operation | ms |
| --- | --- |
${table(files)}

- save ${results.checkpoint.saveMegabytesPerSecond.toFixed(0)} MB/s, load ${results.checkpoint.loadMegabytesPerSecond.toFixed(0)} MB/s
- crash-safe save / plain write of the same bytes: **${results.checkpoint.crashSafeSaveOverPlainWrite.toFixed(2)}×** (the price of the fsyncs, the CRC-32s and the switch)
`;
  const resultsDirectory = new URL('./results/', import.meta.url);
  await writeFile(
    new URL('results.json', resultsDirectory),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  await writeFile(new URL('results.md', resultsDirectory), markdown);
}

await main();
