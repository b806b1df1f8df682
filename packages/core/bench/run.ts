// The benchmark suite of @lm-objectives/core (`pnpm bench`; `pnpm bench:smoke` for a seconds-long
// check). Every case runs in its own child process (`case.ts`): the wasm heap grows up to 4 GiB and
// never shrinks, and a case that exhausts it must not take the others down. Cases of one size run
// back to back, so the ratios compare variants measured side by side.
// `--report-only` renders README.md again from the recorded JSON.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE } from '../src/ops/linear-cross-entropy';
import { type CaseResult, type CaseSpec, isOutOfMemory, runCase } from './case';
import { renderReadme } from './report';
import {
  LINEAR_VARIANT_DESCRIPTIONS,
  LINEAR_VARIANTS,
  type LinearVariant,
  LOSS_VARIANT_DESCRIPTIONS,
  LOSS_VARIANTS,
  type LossVariant,
} from './variants';

let inProcess = false;
const BENCH_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIRECTORY = dirname(BENCH_DIRECTORY);
const RESULTS_DIRECTORY = join(BENCH_DIRECTORY, 'results');

/** One loss case as recorded. */
export interface LossCaseRecord {
  variant: LossVariant;
  positions: number;
  vocabularySize: number;
  hiddenSize: number;
  chunkSize?: number;
  forwardOnly?: boolean;
  warmup: 'full' | 'small' | 'none';
  repeats: number;
  result: CaseResult;
}

export interface LinearCaseRecord {
  variant: LinearVariant;
  rows: number;
  width: number;
  hiddenWidth: number;
  warmup: 'full' | 'none';
  repeats: number;
  result: CaseResult;
}

export interface SuiteSettings {
  smoke: boolean;
  hiddenSize: number;
  positions: number[];
  vocabularySizes: number[];
  /** The size the targets are stated at. */
  keyCase: { positions: number; vocabularySize: number };
  /** The size at which only the fused loss is expected to fit. */
  largestCase: { positions: number; vocabularySize: number };
  chunkSweep: { positions: number; vocabularySize: number; chunkSizes: number[] }[];
  mlp: { rows: number; width: number; hiddenWidth: number; repeats: number };
}

const FULL: SuiteSettings = {
  smoke: false,
  hiddenSize: 768,
  positions: [512, 1024, 2048],
  vocabularySizes: [8192, 32000, 50257, 128256],
  keyCase: { positions: 1024, vocabularySize: 32000 },
  largestCase: { positions: 2048, vocabularySize: 128256 },
  chunkSweep: [
    { positions: 1024, vocabularySize: 32000, chunkSizes: [64, 128, 256, 512, 1024] },
    { positions: 1024, vocabularySize: 128256, chunkSizes: [128, 256, 512] },
  ],
  mlp: { rows: 1024, width: 768, hiddenWidth: 3072, repeats: 5 },
};

const SMOKE: SuiteSettings = {
  smoke: true,
  hiddenSize: 32,
  positions: [64],
  vocabularySizes: [500, 1000],
  keyCase: { positions: 64, vocabularySize: 1000 },
  largestCase: { positions: 64, vocabularySize: 1000 },
  chunkSweep: [{ positions: 64, vocabularySize: 1000, chunkSizes: [16, 64] }],
  mlp: { rows: 64, width: 32, hiddenWidth: 64, repeats: 1 },
};

/**
 * Seconds one forward + backward step takes on this machine when idle, per `N · V · H` relative to
 * `1024 · 32000 · 768` (measured in development; used only to choose repeats and warm-ups).
 */
const SECONDS_PER_UNIT: Record<LossVariant, number> = {
  naive: 38,
  crossEntropy: 34,
  linearCrossEntropy: 5,
  floor: 4,
};

function estimatedSeconds(
  variant: LossVariant,
  positions: number,
  vocabularySize: number,
  hiddenSize: number,
): number {
  return (
    (SECONDS_PER_UNIT[variant] * positions * vocabularySize * hiddenSize) / (1024 * 32000 * 768)
  );
}

/**
 * Repeats and warm-up of a case: the key case gets 3 timed runs for every variant; otherwise cases
 * estimated at ≤ 8 s get a full-size warm-up and 3 timed runs, ≤ 25 s a 64-row warm-up and 2, and
 * longer ones a 64-row warm-up and 1 (the budget is about an hour on a 2-core machine).
 */
function plan(
  settings: SuiteSettings,
  variant: LossVariant,
  positions: number,
  vocabularySize: number,
): { warmup: 'full' | 'small' | 'none'; repeats: number } {
  if (settings.smoke) return { warmup: 'none', repeats: 1 };
  const seconds = estimatedSeconds(variant, positions, vocabularySize, settings.hiddenSize);
  const isKey =
    positions === settings.keyCase.positions && vocabularySize === settings.keyCase.vocabularySize;
  if (isKey) return { warmup: seconds <= 8 ? 'full' : 'small', repeats: 3 };
  if (seconds <= 8) return { warmup: 'full', repeats: 3 };
  if (seconds <= 25) return { warmup: 'small', repeats: 2 };
  return { warmup: 'small', repeats: 1 };
}

/** Runs one case in a child process (in this process for the smoke mode); never throws. */
function runChild(spec: CaseSpec, timeoutSeconds: number): Promise<CaseResult> {
  if (inProcess) {
    return runCase(spec).catch((error: unknown) => ({
      status: 'failed' as const,
      message: String(error).slice(0, 500),
      wasmHeapBytes: 0,
    }));
  }
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(BENCH_DIRECTORY, 'case.ts'), JSON.stringify(spec)],
      {
        cwd: PACKAGE_DIRECTORY,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
      if (line) {
        resolve(JSON.parse(line.slice('RESULT '.length)) as CaseResult);
        return;
      }
      const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-6).join(' | ').slice(0, 500);
      const timedOut = signal === 'SIGKILL';
      resolve({
        status: !timedOut && isOutOfMemory(tail) ? 'out of memory' : 'failed',
        message: timedOut
          ? `timed out after ${timeoutSeconds} s`
          : `exit ${code ?? signal}: ${tail}`,
        wasmHeapBytes: 0,
      });
    });
  });
}

function describeResult(result: CaseResult): string {
  if (result.status !== 'ok') return `${result.status} (${result.message.slice(0, 120)})`;
  return `wall ${(result.medianMs / 1000).toFixed(2)} s, cpu ${(result.medianCpuMs / 1000).toFixed(2)} s, peak ${(result.peakTensorBytes / 2 ** 20).toFixed(0)} MiB, heap ${(result.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB, loss ${result.loss.toFixed(4)}`;
}

/** `--report-only`: renders README.md again from the recorded JSON, without measuring anything. */
function rerenderReport(): void {
  const read = (name: string) => JSON.parse(readFileSync(join(RESULTS_DIRECTORY, name), 'utf8'));
  const readme = renderReadme(FULL, read('linear-cross-entropy.json'), read('linear.json'));
  writeFileSync(join(RESULTS_DIRECTORY, 'README.md'), readme);
  process.stdout.write(`wrote ${join(RESULTS_DIRECTORY, 'README.md')}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--report-only')) {
    rerenderReport();
    return;
  }
  const settings = process.argv.includes('--smoke') ? SMOKE : FULL;
  // The smoke sizes need no heap isolation: one process keeps the smoke run to seconds.
  inProcess = settings.smoke;
  const started = Date.now();
  const loadAtStart = loadavg();
  const log = (message: string) =>
    process.stdout.write(
      `[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}\n`,
    );

  const lossCases: LossCaseRecord[] = [];
  for (const positions of settings.positions) {
    for (const vocabularySize of settings.vocabularySizes) {
      for (const variant of LOSS_VARIANTS) {
        const { warmup, repeats } = plan(settings, variant, positions, vocabularySize);
        const spec: CaseSpec = {
          kind: 'loss',
          variant,
          positions,
          hiddenSize: settings.hiddenSize,
          vocabularySize,
          repeats,
          warmup,
        };
        const seconds = estimatedSeconds(variant, positions, vocabularySize, settings.hiddenSize);
        const result = await runChild(spec, Math.max(600, 12 * seconds * (repeats + 1)));
        lossCases.push({
          variant,
          positions,
          vocabularySize,
          hiddenSize: settings.hiddenSize,
          warmup,
          repeats,
          result,
        });
        log(
          `N=${positions} V=${vocabularySize} ${variant} (${repeats} runs, ${warmup} warm-up): ${describeResult(result)}`,
        );
      }
    }
  }

  const chunkCases: LossCaseRecord[] = [];
  for (const sweep of settings.chunkSweep) {
    for (const chunkSize of sweep.chunkSizes) {
      const { warmup, repeats } = plan(
        settings,
        'linearCrossEntropy',
        sweep.positions,
        sweep.vocabularySize,
      );
      const spec: CaseSpec = {
        kind: 'loss',
        variant: 'linearCrossEntropy',
        positions: sweep.positions,
        hiddenSize: settings.hiddenSize,
        vocabularySize: sweep.vocabularySize,
        chunkSize,
        repeats,
        warmup,
      };
      const result = await runChild(spec, 1800);
      chunkCases.push({ ...spec, variant: 'linearCrossEntropy', result });
      log(
        `chunk sweep N=${sweep.positions} V=${sweep.vocabularySize} chunkSize=${chunkSize}: ${describeResult(result)}`,
      );
    }
  }

  // The fused loss outside a gradient tape (evaluation): only the logits product runs.
  const forwardCases: LossCaseRecord[] = [];
  for (const variant of ['naive', 'crossEntropy', 'linearCrossEntropy'] as const) {
    const { positions, vocabularySize } = settings.keyCase;
    const warmup = settings.smoke ? 'none' : 'full';
    const repeats = settings.smoke ? 1 : 3;
    const spec: CaseSpec = {
      kind: 'loss',
      variant,
      positions,
      hiddenSize: settings.hiddenSize,
      vocabularySize,
      forwardOnly: true,
      repeats,
      warmup,
    };
    const result = await runChild(spec, 1800);
    forwardCases.push({
      variant,
      positions,
      vocabularySize,
      hiddenSize: settings.hiddenSize,
      forwardOnly: true,
      warmup,
      repeats,
      result,
    });
    log(`forward only N=${positions} V=${vocabularySize} ${variant}: ${describeResult(result)}`);
  }

  const linearCases: LinearCaseRecord[] = [];
  for (const variant of LINEAR_VARIANTS) {
    const { rows, width, hiddenWidth, repeats } = settings.mlp;
    const warmup = settings.smoke ? 'none' : 'full';
    const result = await runChild(
      { kind: 'linear', variant, rows, width, hiddenWidth, repeats, warmup },
      1800,
    );
    linearCases.push({ variant, rows, width, hiddenWidth, warmup, repeats, result });
    log(`linear step ${variant}: ${describeResult(result)}`);
  }

  const totalSeconds = (Date.now() - started) / 1000;
  const environment = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    tfjs: '4.22.0 (@tensorflow/tfjs-core, @tensorflow/tfjs-backend-wasm)',
    backend: 'wasm (SIMD, single-threaded: tfjs disables wasm threads in Node)',
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    loadAverageAtStart: loadAtStart.map((value) => Number(value.toFixed(2))),
    loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))),
    totalRunSeconds: Math.round(totalSeconds),
  };
  const lossDocument = {
    benchmark:
      'linear cross-entropy: one forward + backward of a language-model head (mean token loss, gradients w.r.t. h and W)',
    ...environment,
    hiddenSize: settings.hiddenSize,
    defaultChunkSize: DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
    variants: LOSS_VARIANT_DESCRIPTIONS,
    method:
      'Each case runs in its own Node process on the wasm backend: inputs h [N, H] ~ N(0, 1), W [H, V] ~ N(0, 0.02), uniform labels; ' +
      'a warm-up run (full size, or 64 rows for long cases), then the timed runs; median wall time and median CPU time (process.cpuUsage) ' +
      'of the timed runs; peak tensor bytes = peak of tf.memory().numBytes during a run above what was held before it (inputs excluded); ' +
      'wasm heap = heap size at the end of the process (its high-water mark, XNNPACK packed weights included).',
    cases: lossCases,
    chunkSweep: chunkCases,
    forwardOnly: forwardCases,
  };
  const linearDocument = {
    benchmark: `linear training step: 2-layer MLP ${settings.mlp.width} → ${settings.mlp.hiddenWidth} → ${settings.mlp.width} (ReLU) on [${settings.mlp.rows}, ${settings.mlp.width}], mean-squared error, SGD update via optimizer.minimize`,
    ...environment,
    variants: LINEAR_VARIANT_DESCRIPTIONS,
    cases: linearCases,
  };
  const readme = renderReadme(settings, lossDocument, linearDocument);
  if (settings.smoke) {
    process.stdout.write(`\n${readme}\n(smoke mode: nothing written)\n`);
  } else {
    mkdirSync(RESULTS_DIRECTORY, { recursive: true });
    writeFileSync(
      join(RESULTS_DIRECTORY, 'linear-cross-entropy.json'),
      `${JSON.stringify(lossDocument, null, 2)}\n`,
    );
    writeFileSync(
      join(RESULTS_DIRECTORY, 'linear.json'),
      `${JSON.stringify(linearDocument, null, 2)}\n`,
    );
    writeFileSync(join(RESULTS_DIRECTORY, 'README.md'), readme);
    log(`wrote ${RESULTS_DIRECTORY}/{linear-cross-entropy.json, linear.json, README.md}`);
  }
  log(`total ${(totalSeconds / 60).toFixed(1)} min`);
  const failed = [...lossCases, ...chunkCases, ...forwardCases, ...linearCases].filter(
    (record) => record.result.status === 'failed',
  );
  if (failed.length > 0) {
    log(`${failed.length} case(s) failed for a reason other than memory`);
    process.exitCode = 1;
  }
}

await main();
