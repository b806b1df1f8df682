// Benchmarks of @lm-objectives/glm (`pnpm bench`; `pnpm bench:smoke` for a seconds-long check):
//
// 1. Sample-builder throughput on 512-token samples ([CLS] + 511 text tokens) in token-span
//    mode, next to a straightforward array-based implementation of the same algorithm (ratio in
//    the same run), the target (4.7 M tokens/s) and the GLM reference (1.58 M tokens/s on
//    this machine, as stated in the issue: the Python reference is not run here).
// 2. Attention-mask construction for L = 512 and 1024: the boolean typed-array form, a naive
//    per-pair loop, and the additive tensor form through core's prefixLmAttentionBias (wasm, cpu).
//
// Full runs write bench/results/results.json and bench/results/results.md; smoke runs only print.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createRng, MASKED_ATTENTION_BIAS } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  createGlmObjective,
  createGlmSampleBuilder,
  glmAttentionBias,
  glmAttentionMask,
} from '../src/index';
import { calibrated, interleave, median, type Timing } from './measure';
import { naiveAttentionMask, naiveBuild } from './naive-builder';

const smoke = process.argv.includes('--smoke');
tf.env().set('PROD', true);

const TOKENS = { clsTokenId: 1, maskTokenId: 2, sopTokenId: 3, eopTokenId: 4, gMaskTokenId: 5 };
const TARGET_TOKENS_PER_SECOND = 4.7e6;
const REFERENCE_TOKENS_PER_SECOND = 1.58e6;
const SAMPLE_LENGTH = 512; // with [CLS]

const settings = smoke
  ? { samplesPerRun: 400, runs: 3, warmups: 1, maskRuns: 3, maskSecondsPerRun: 0.01 }
  : { samplesPerRun: 20_000, runs: 9, warmups: 2, maskRuns: 9, maskSecondsPerRun: 0.1 };

const loadBefore = loadavg();

// ---- 1. Builder throughput -------------------------------------------------------------------

const textRandom = createRng(1);
const texts = Array.from({ length: 64 }, () =>
  Array.from({ length: SAMPLE_LENGTH - 1 }, () => textRandom.int(10, 30_000)),
);
const typedTexts = texts.map((text) => Int32Array.from(text));
const builder = createGlmSampleBuilder(TOKENS);
const objective = createGlmObjective(TOKENS);
const batchSize = 8;

let sink = 0;
const builderVariants = {
  'createGlmSampleBuilder().build': () => {
    const random = createRng(2);
    for (let index = 0; index < settings.samplesPerRun; index++) {
      sink += builder.build(typedTexts[index % typedTexts.length]!, random).sep;
    }
  },
  'objective.createBatch (build + pad, batches of 8)': () => {
    const random = createRng(3);
    for (let index = 0; index < settings.samplesPerRun; index += batchSize) {
      const start = index % typedTexts.length;
      sink += objective.createBatch(typedTexts.slice(start, start + batchSize), { random }).size;
    }
  },
  'naive array implementation (baseline)': () => {
    const random = createRng(4);
    for (let index = 0; index < settings.samplesPerRun; index++) {
      sink += naiveBuild(texts[index % texts.length]!, random, TOKENS).sep;
    }
  },
};
const builderTimings = interleave(builderVariants, settings.runs, settings.warmups);
const tokensPerRun = settings.samplesPerRun * SAMPLE_LENGTH;
const baseline = builderTimings['naive array implementation (baseline)']!;

function throughput(timings: Timing[]) {
  return {
    wallTokensPerSecond: median(timings.map((timing) => tokensPerRun / timing.wallSeconds)),
    cpuTokensPerSecond: median(timings.map((timing) => tokensPerRun / timing.cpuSeconds)),
    // Per-run ratios of interleaved runs: both variants saw nearly the same load.
    speedupOverBaseline: median(
      timings.map((timing, run) => baseline[run]!.wallSeconds / timing.wallSeconds),
    ),
  };
}

const builderResults = Object.fromEntries(
  Object.entries(builderTimings).map(([name, timings]) => [name, throughput(timings)]),
);

// ---- 2. Attention masks ------------------------------------------------------------------------

interface MaskResult {
  length: number;
  batchSize: number;
  variant: string;
  /** Median wall-clock milliseconds per `[L, L]` matrix. */
  wallMillisecondsPerMatrix: number;
  /** Median CPU milliseconds per `[L, L]` matrix (robust to other jobs on the machine). */
  cpuMillisecondsPerMatrix: number;
  /** Median per-run ratio of CPU times against glmAttentionMask, measured interleaved. */
  relativeToTypedArray: number;
}

const TYPED_ARRAY_MASK = 'glmAttentionMask (boolean Uint8Array)';

async function maskBenchmarks(): Promise<MaskResult[]> {
  // Initialise both backends once; switching between ready backends is then synchronous.
  for (const backend of ['cpu', 'wasm']) {
    if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed`);
    await tf.ready();
  }
  const results: MaskResult[] = [];
  for (const length of [512, 1024]) {
    for (const rows of [1, 8]) {
      const separators = Array.from({ length: rows }, (_, row) =>
        Math.floor(length * (0.5 + row / 32)),
      );
      const actions: Record<string, () => void> = {
        [TYPED_ARRAY_MASK]: () => {
          sink += glmAttentionMask(separators, length).data[0]!;
        },
        'naive per-pair loop (boolean Uint8Array)': () => {
          sink += naiveAttentionMask(separators, length)[0]!;
        },
      };
      for (const backend of ['wasm', 'cpu'] as const) {
        const onBackend = (action: () => void) => () => {
          if (tf.getBackend() !== backend) tf.setBackend(backend);
          action();
        };
        actions[`glmAttentionBias = core prefixLmAttentionBias (additive tensor, ${backend})`] =
          onBackend(() => {
            const bias = glmAttentionBias(separators, length);
            sink += bias.size;
            bias.dispose();
          });
        // For comparison only (not what the package does): the additive form filled on the data
        // side from the boolean mask, then uploaded as one tensor.
        actions[`comparison: boolean mask → Float32Array → tf.tensor (${backend})`] = onBackend(
          () => {
            const allowed = glmAttentionMask(separators, length).data;
            const values = new Float32Array(allowed.length).fill(MASKED_ATTENTION_BIAS);
            for (let index = 0; index < values.length; index++) {
              if (allowed[index]) values[index] = 0;
            }
            const bias = tf.tensor4d(values, [rows, 1, length, length]);
            sink += bias.size;
            bias.dispose();
          },
        );
      }
      const repeats: Record<string, number> = {};
      const variants: Record<string, () => void> = {};
      for (const [name, action] of Object.entries(actions)) {
        const wrapped = calibrated(action, settings.maskSecondsPerRun);
        variants[name] = wrapped.run;
        repeats[name] = wrapped.repeats;
      }
      const timings = interleave(variants, settings.maskRuns, 0);
      const reference = timings[TYPED_ARRAY_MASK]!;
      for (const [variant, runs] of Object.entries(timings)) {
        const matrices = rows * repeats[variant]!;
        results.push({
          length,
          batchSize: rows,
          variant,
          wallMillisecondsPerMatrix: (median(runs.map((run) => run.wallSeconds)) * 1000) / matrices,
          cpuMillisecondsPerMatrix: (median(runs.map((run) => run.cpuSeconds)) * 1000) / matrices,
          relativeToTypedArray: median(
            runs.map(
              (run, index) =>
                run.cpuSeconds /
                repeats[variant]! /
                (reference[index]!.cpuSeconds / repeats[TYPED_ARRAY_MASK]!),
            ),
          ),
        });
      }
    }
  }
  return results;
}

const maskResults = await maskBenchmarks();
const loadAfter = loadavg();

// ---- Report ----------------------------------------------------------------------------------

const format = (value: number, digits = 2) => value.toFixed(digits);
const millions = (value: number) => `${format(value / 1e6)} M`;
const ours = builderResults['createGlmSampleBuilder().build']!;
const lines = [
  '# @lm-objectives/glm benchmark results',
  '',
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), tfjs ${tf.version_core}.`,
  `Load average before/after: ${loadBefore.map((value) => format(value)).join(', ')} / ${loadAfter.map((value) => format(value)).join(', ')}` +
    ' (other developers’ jobs run on the same 2 cores).',
  `Medians of ${settings.runs} interleaved runs after ${settings.warmups} warm-up rounds; ${settings.samplesPerRun} samples per run.`,
  '',
  '## Sample builder: 512-token samples, token-span mode (defaults)',
  '',
  '| variant | tokens/s (wall) | tokens/s (CPU time) | × naive (same run) |',
  '| --- | ---: | ---: | ---: |',
  ...Object.entries(builderResults).map(
    ([name, result]) =>
      `| ${name} | ${millions(result.wallTokensPerSecond)} | ${millions(result.cpuTokensPerSecond)} | ${format(result.speedupOverBaseline)} |`,
  ),
  '',
  `Target ≥ ${millions(TARGET_TOKENS_PER_SECOND)} tokens/s (3 × the GLM reference's ${millions(REFERENCE_TOKENS_PER_SECOND)} tokens/s, figure from the issue).`,
  `Measured: ${millions(ours.wallTokensPerSecond)} tokens/s wall = ${format(ours.wallTokensPerSecond / TARGET_TOKENS_PER_SECOND)} × target, ` +
    `${format(ours.wallTokensPerSecond / REFERENCE_TOKENS_PER_SECOND)} × reference; CPU-time throughput ${millions(ours.cpuTokensPerSecond)} tokens/s.`,
  '',
  '## Attention mask construction',
  '',
  'Per `[L, L]` matrix; rows = samples built per call. The ratio is of CPU times, run by run.',
  '',
  '| L | rows | variant | ms (wall) | ms (CPU time) | × glmAttentionMask |',
  '| ---: | ---: | --- | ---: | ---: | ---: |',
  ...maskResults.map(
    (result) =>
      `| ${result.length} | ${result.batchSize} | ${result.variant} | ${format(result.wallMillisecondsPerMatrix, 3)} | ${format(result.cpuMillisecondsPerMatrix, 3)} | ${format(result.relativeToTypedArray, 1)} |`,
  ),
  '',
];
const report = lines.join('\n');
console.log(report);
if (sink === Number.MIN_VALUE) console.log(sink); // keep the work observable

if (!smoke) {
  const directory = new URL('./results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    new URL('results.json', directory),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        tfjs: tf.version_core,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAfter,
        settings,
        sampleLength: SAMPLE_LENGTH,
        targetTokensPerSecond: TARGET_TOKENS_PER_SECOND,
        referenceTokensPerSecond: REFERENCE_TOKENS_PER_SECOND,
        builder: builderResults,
        attentionMask: maskResults,
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(new URL('results.md', directory), report);
}
