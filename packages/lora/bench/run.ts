// Benchmarks of @lm-objectives/lora, measured side by side in one run on the wasm backend (and the
// data side in plain JavaScript). Each figure is the median of several timed runs after a warm-up;
// the comparisons are reported as ratios. `--smoke` runs a seconds-long version for CI and writes
// nothing.
//
//   node --import tsx bench/run.ts [--smoke]
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, linear, tokenCrossEntropy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ConditionalExample,
  createConditionalLmBatch,
  createConditionalLmObjective,
  createLoraAdapters,
  type LinearWeights,
} from '../src/index';

register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
// tfjs-core alone registers no gradients in Node; its ESM entry needs the hook above.
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await import('@tensorflow/tfjs-backend-wasm');

const smoke = process.argv.includes('--smoke');
const here = dirname(fileURLToPath(import.meta.url));
tf.env().set('PROD', true);

interface Timing {
  medianMs: number;
  runs: number;
}

/**
 * Times several actions **interleaved** (A, B, A, B, …) so that the load of other jobs on the
 * shared machine falls on every compared variant alike; returns each one's median.
 */
function timeSideBySide(actions: readonly (() => void)[], runs: number, warmup = 2): Timing[] {
  for (let index = 0; index < warmup; index++) for (const action of actions) action();
  const samples = actions.map(() => [] as number[]);
  for (let index = 0; index < runs; index++) {
    actions.forEach((action, which) => {
      const start = performance.now();
      action();
      samples[which]!.push(performance.now() - start);
    });
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    return { medianMs: list[Math.floor(list.length / 2)]!, runs };
  });
}

function normal(random: ReturnType<typeof createRng>, shape: number[], std: number): tf.Tensor {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = random.normal(0, std);
  return tf.tensor(values, shape, 'float32');
}

/**
 * The conditional loss and its gradient (w.r.t. the hidden states and the tied projection) on
 * padded prompt–completion rows: the dense shifted loss over every position (core's
 * `tokenCrossEntropy` with `shift: true`, what the objective computed before) versus the objective
 * gathering only its `scoredPositions`. Both give the same loss; the difference is the rows the
 * fused projection has to score.
 */
function lossComparison(examples: readonly ConditionalExample[], runs: number) {
  const hiddenSize = 128;
  const vocabularySize = 4000;
  const objective = createConditionalLmObjective({ eosTokenId: 2, maxLength: 256, vocabularySize });
  const inVocabulary = (ids: readonly number[] | Int32Array) =>
    ids.map((id) => id % vocabularySize);
  const batch = objective.createBatch(
    examples.map((example) =>
      'prompt' in example
        ? { prompt: inVocabulary(example.prompt), completion: inVocabulary(example.completion) }
        : example,
    ),
    { random: createRng(0) },
  );
  const [rows, length] = batch.fields.inputIds.shape as [number, number];
  const random = createRng(9);
  const hiddenStates = normal(random, [rows, length, hiddenSize], 1);
  const weight = normal(random, [vocabularySize, hiddenSize], 1 / Math.sqrt(hiddenSize));
  const projection = { weight, layout: 'vocab-by-hidden' } as const;
  const dense = (h: tf.Tensor, w: tf.Tensor) =>
    tokenCrossEntropy(
      { hiddenStates: h, projection: { ...projection, weight: w } },
      batch.fields.labels.data,
      {
        shift: true,
      },
    ).loss;
  const scored = (h: tf.Tensor, w: tf.Tensor) =>
    objective.computeLoss({
      outputs: { hiddenStates: h, projection: { ...projection, weight: w } },
      batch,
    }).loss;
  const stepOf = (loss: (h: tf.Tensor, w: tf.Tensor) => tf.Scalar) => () =>
    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(loss)([hiddenStates, weight]);
      value.dataSync();
      for (const gradient of grads) gradient.dataSync();
    });
  const [denseTiming, scoredTiming] = timeSideBySide([stepOf(dense), stepOf(scored)], runs) as [
    Timing,
    Timing,
  ];
  const [denseLoss, scoredLoss] = tf.tidy(() => [
    dense(hiddenStates, weight).dataSync()[0]!,
    scored(hiddenStates, weight).dataSync()[0]!,
  ]);
  tf.dispose([hiddenStates, weight]);
  return {
    rows,
    length,
    hiddenSize,
    vocabularySize,
    scoredTokens: batch.counts.conditionalLm,
    realTokens: batch.fields.attentionMask.data.reduce((total, bit) => total + bit, 0),
    denseMs: denseTiming.medianMs,
    scoredMs: scoredTiming.medianMs,
    speedup: denseTiming.medianMs / scoredTiming.medianMs,
    relativeLossDifference: Math.abs(denseLoss - scoredLoss) / Math.abs(denseLoss),
  };
}

async function main() {
  await tf.setBackend('wasm');
  await tf.ready();
  const runs = smoke ? 2 : 9;
  const hidden = smoke ? 64 : 512;
  const rows = smoke ? 32 : 512;
  const layers = 4;
  const rank = 8;
  const random = createRng(1);

  const makeLinears = (): Record<string, LinearWeights> => {
    const linears: Record<string, LinearWeights> = {};
    for (let layer = 0; layer < layers; layer++) {
      linears[`layer${layer}/query`] = tf.tidy(() => ({
        kernel: tf.variable(normal(random, [hidden, hidden], 1 / Math.sqrt(hidden))),
        bias: tf.variable(tf.zeros([hidden])),
      }));
    }
    return linears;
  };
  const x = normal(random, [rows, hidden], 1);
  const target = normal(random, [rows, hidden], 1);
  const lossOf = (forward: (name: string, input: tf.Tensor) => tf.Tensor) => () =>
    tf.tidy(() => {
      let h = x;
      for (let layer = 0; layer < layers; layer++) h = tf.tanh(forward(`layer${layer}/query`, h));
      return tf.mean(tf.square(tf.sub(h, target))) as tf.Scalar;
    });
  const step = (optimizer: tf.Optimizer, loss: () => tf.Scalar, variables: tf.Variable[]) => () => {
    const value = optimizer.minimize(loss, true, variables);
    value?.dataSync();
    value?.dispose();
  };

  // 1. A training step: full fine-tuning of every kernel versus LoRA on every kernel.
  const full = makeLinears();
  const fullVariables = Object.values(full).flatMap(({ kernel, bias }) => [kernel, bias!]);
  const fullOptimizer = tf.train.sgd(1e-3);
  const adapted = makeLinears();
  const lora = createLoraAdapters(adapted, { rank, alpha: 16, targets: /query/ });
  const loraOptimizer = tf.train.sgd(1e-3);
  // 2. The same LoRA step written naively with tf.matMul (autodiff's transposed products, and a
  // gradient computed for the frozen kernel too) versus this package's adapter.
  const naiveOptimizer = tf.train.sgd(1e-3);
  const naiveForward = (name: string, input: tf.Tensor) => {
    const adapter = lora.adapters.get(name)!;
    const base = tf.add(tf.matMul(input, adapter.kernel), adapter.bias!);
    return tf.add(base, tf.mul(tf.matMul(tf.matMul(input, adapter.a), adapter.b), adapter.scaling));
  };
  const [fullStep, loraStep, naiveStep] = timeSideBySide(
    [
      step(
        fullOptimizer,
        lossOf((name, input) => linear(input, full[name]!.kernel, full[name]!.bias)),
        fullVariables,
      ),
      step(
        loraOptimizer,
        lossOf((name, input) => lora.linear(name, input)),
        lora.trainableWeights(),
      ),
      step(naiveOptimizer, lossOf(naiveForward), lora.trainableWeights()),
    ],
    runs,
  ) as [Timing, Timing, Timing];

  // 3. Inference: unmerged adapters versus merged kernels.
  const forward = (fn: (name: string, input: tf.Tensor) => tf.Tensor) => () => {
    const value = lossOf(fn)();
    value.dataSync();
    value.dispose();
  };
  // Merged inference is measured on a second set of linears holding the merged kernels, so that
  // both variants can be interleaved.
  const mergedLinears = makeLinears();
  const mergedSet = createLoraAdapters(mergedLinears, { rank, alpha: 16, targets: /query/ });
  mergedSet.merge();
  const [unmerged, merged] = timeSideBySide(
    [
      forward((name, input) => lora.linear(name, input)),
      forward((name, input) => mergedSet.linear(name, input)),
    ],
    runs,
  ) as [Timing, Timing];

  const report = lora.parameterReport();

  // 4. The data side: building a batch of 256 prompt–completion pairs, padded versus packed.
  const data = createRng(5);
  const examples: ConditionalExample[] = Array.from({ length: smoke ? 32 : 256 }, () => ({
    prompt: Array.from({ length: data.int(8, 96) }, () => data.int(3, 31999)),
    completion: Array.from({ length: data.int(4, 64) }, () => data.int(3, 31999)),
  }));
  const [padded, packed] = timeSideBySide(
    [
      () => void createConditionalLmBatch(examples, { eosTokenId: 2, maxLength: 256 }),
      () =>
        void createConditionalLmBatch(examples, { eosTokenId: 2, maxLength: 256, packing: true }),
    ],
    runs,
  ) as [Timing, Timing];
  const paddedBatch = createConditionalLmBatch(examples, { eosTokenId: 2, maxLength: 256 });
  const packedBatch = createConditionalLmBatch(examples, {
    eosTokenId: 2,
    maxLength: 256,
    packing: true,
  });

  // 5. The conditional loss: every position scored after a shift versus only the scored rows.
  const conditionalLoss = lossComparison(examples.slice(0, smoke ? 4 : 32), runs);

  const results = {
    machine: {
      cpus: cpus().length,
      node: process.version,
      backend: tf.getBackend(),
      note: 'shared 2-core machine; other jobs ran concurrently',
    },
    sizes: { layers, hidden, rows, rank },
    trainingStep: {
      fullFineTuningMs: fullStep.medianMs,
      loraMs: loraStep.medianMs,
      loraSpeedup: fullStep.medianMs / loraStep.medianMs,
    },
    adapterImplementation: {
      naiveMatMulMs: naiveStep.medianMs,
      thisPackageMs: loraStep.medianMs,
      speedup: naiveStep.medianMs / loraStep.medianMs,
    },
    inference: {
      unmergedMs: unmerged.medianMs,
      mergedMs: merged.medianMs,
      unmergedOverMerged: unmerged.medianMs / merged.medianMs,
    },
    parameters: {
      trainable: report.trainableParameters,
      total: report.totalParameters,
      trainableRatio: report.trainableRatio,
      adapterBytes: report.adapterBytes,
      baseBytes: report.baseBytes,
      sizeRatio: report.sizeRatio,
    },
    dataSide: {
      examples: examples.length,
      paddedMs: padded.medianMs,
      packedMs: packed.medianMs,
      paddedExamplesPerSecond: (examples.length / padded.medianMs) * 1000,
      packedExamplesPerSecond: (examples.length / packed.medianMs) * 1000,
      paddedRows: paddedBatch.size,
      packedRows: packedBatch.size,
      paddedTokenSlots: paddedBatch.size * paddedBatch.dimensions['sequence']!,
      packedTokenSlots: packedBatch.size * packedBatch.dimensions['sequence']!,
    },
    conditionalLoss,
    runs,
  };
  console.log(JSON.stringify(results, null, 2));

  if (!smoke) {
    const f = (value: number, digits = 1) => value.toFixed(digits);
    const table = [
      `# @lm-objectives/lora benchmarks`,
      '',
      `wasm backend (single-threaded in Node), ${results.machine.cpus} cores shared with other jobs, Node ${results.machine.node}.`,
      `Median of ${runs} runs after 2 warm-up runs; compared variants run interleaved (A, B, A, B, …). ${layers} linears ${hidden}×${hidden}, ${rows} rows, rank ${rank}.`,
      '',
      '| comparison | baseline | this package | ratio |',
      '| --- | --- | --- | --- |',
      `| training step: full fine-tuning vs LoRA | ${f(fullStep.medianMs)} ms | ${f(loraStep.medianMs)} ms | ${f(results.trainingStep.loraSpeedup, 2)}× faster |`,
      `| LoRA step: naive tf.matMul autodiff vs core linear + frozen base | ${f(naiveStep.medianMs)} ms | ${f(loraStep.medianMs)} ms | ${f(results.adapterImplementation.speedup, 2)}× faster |`,
      `| inference: merged vs unmerged adapters | ${f(merged.medianMs)} ms (merged) | ${f(unmerged.medianMs)} ms (unmerged) | unmerged costs ${f(results.inference.unmergedOverMerged, 2)}× |`,
      `| batch building, ${examples.length} pairs: padded vs packed | ${f(padded.medianMs, 2)} ms, ${paddedBatch.size} rows × ${paddedBatch.dimensions['sequence']} | ${f(packed.medianMs, 2)} ms, ${packedBatch.size} rows × ${packedBatch.dimensions['sequence']} | packing uses ${f(results.dataSide.paddedTokenSlots / results.dataSide.packedTokenSlots, 2)}× fewer token slots |`,
      `| conditional loss + gradient, ${conditionalLoss.rows} rows × ${conditionalLoss.length}, H ${conditionalLoss.hiddenSize}, V ${conditionalLoss.vocabularySize} (fused): every position after a shift vs the ${conditionalLoss.scoredTokens} scoredPositions | ${f(conditionalLoss.denseMs)} ms | ${f(conditionalLoss.scoredMs)} ms | ${f(conditionalLoss.speedup, 2)}× faster (losses agree to ${conditionalLoss.relativeLossDifference.toExponential(1)}) |`,
      '',
      `Trainable parameters: ${report.trainableParameters} of ${report.totalParameters} (${f(100 * report.trainableRatio, 2)} %); adapter ${report.adapterBytes} B vs base ${report.baseBytes} B (${f(100 * report.sizeRatio, 2)} %).`,
      '',
    ].join('\n');
    writeFileSync(join(here, 'results/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(here, 'results/results.md'), table);
  }
  tf.dispose([
    x,
    target,
    ...Object.values(full).flatMap(({ kernel, bias }) => [kernel, bias!]),
    ...Object.values(adapted).flatMap(({ kernel, bias }) => [kernel, bias!]),
  ]);
  lora.dispose();
  mergedSet.unmerge();
  mergedSet.dispose();
  tf.dispose(Object.values(mergedLinears).flatMap(({ kernel, bias }) => [kernel, bias!]));
  for (const optimizer of [fullOptimizer, loraOptimizer, naiveOptimizer]) optimizer.dispose();
}

await main();
