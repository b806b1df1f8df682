/**
 * The backend benchmark, in Debian's headless Chromium on this machine: tokens per second of the
 * demo's BERT and causal tasks on wasm with 1 thread, wasm on every logical core, WebGPU and WebGL
 * (SwiftShader, "emulated", without a GPU), at the demo's size and at a larger size where matrix
 * products dominate. It drives the web demo's benchmark page (`bench.html`, the same runs a user
 * starts with its Run button) and writes `bench/results/backends-<machine>.json`.
 *
 * Not a test: run it when the machine is quiet (the load average goes into the JSON).
 *
 *   pnpm --filter @lm-objectives/demo bench:backends [-- --machine NAME] [--sizes demo,large]
 *     [--backends wasm,webgpu,webgl] [--steps N] [--large-steps N] [--out FILE-SUFFIX]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_WEBGPU_ARGS,
  chromiumLaunchOptions,
} from '../../../scripts/chromium/launch-options.mjs';
import { machineName } from '../../../scripts/chromium/machine-name.mjs';
import { serveDirectory } from '../../../scripts/chromium/serve-directory.mjs';
import type { DemoBenchApi } from '../src/web/bench/bench-page';
import { BENCH_SIZES, BENCH_TASKS, benchPlan } from '../src/web/bench/bench-plan';
import type { BenchResult } from '../src/web/bench/bench-protocol';
import { formatBenchTable, threadRatios } from '../src/web/bench/bench-table';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  // `pnpm run X -- --flag` hands the `--` on: skip it.
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: {
    machine: { type: 'string' },
    sizes: { type: 'string', default: 'demo,large' },
    backends: { type: 'string', default: 'wasm,webgpu,webgl' },
    out: { type: 'string' },
    steps: { type: 'string', default: '5' },
    'large-steps': { type: 'string', default: '3' },
  },
});
const cpu = cpus();
const machine = values.machine ?? machineName();

const server = await serveDirectory(join(here, '..', 'dist', 'web'));
const browser = await chromium.launch(
  chromiumLaunchOptions({ args: [...CHROMIUM_ARGS, ...CHROMIUM_WEBGPU_ARGS] }),
);
const loadBefore = loadavg();
const results: BenchResult[] = [];
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/bench.html`);
  await page.waitForFunction(() => window.demoBench !== undefined);
  const bench = {
    environment: () => page.evaluate(() => (window.demoBench as DemoBenchApi).environment()),
    configurations: () => page.evaluate(() => (window.demoBench as DemoBenchApi).configurations()),
  };
  const environment = await bench.environment();
  const wanted = values.backends.split(',');
  const configurations = (await bench.configurations()).filter((configuration) =>
    wanted.includes(configuration.backend),
  );
  for (const sizeName of values.sizes.split(',')) {
    const size = BENCH_SIZES[sizeName as keyof typeof BENCH_SIZES];
    if (!size) throw new Error(`--sizes: unknown size '${sizeName}' (demo, large)`);
    const requests = benchPlan({
      tasks: BENCH_TASKS,
      sizes: [size],
      configurations,
      warmupSteps: 2,
      measuredSteps: Number(sizeName === 'large' ? values['large-steps'] : values.steps),
      maxSeconds: 60,
    });
    for (const request of requests) {
      const label = `${request.task}, ${size.name}, ${request.backend}${request.threads ? ` ×${request.threads}` : ''}`;
      try {
        const result = await page.evaluate(
          (request) => (window.demoBench as DemoBenchApi).run(request, 900),
          request,
        );
        results.push(result);
        console.log(`${label}: ${result.tokensPerSecond.toFixed(0)} tokens/s (${result.adapter})`);
      } catch (error) {
        console.log(`${label}: failed, ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const loadAfter = loadavg();
  const table = formatBenchTable(results, environment);
  console.log(`\n${table}`);
  const output = join(
    here,
    'results',
    `backends-${machine}${values.out ? `-${values.out}` : ''}.json`,
  );
  await mkdir(join(here, 'results'), { recursive: true });
  await writeFile(
    output,
    `${JSON.stringify(
      {
        benchmark: 'backends',
        description:
          "Training tokens per second of the web demo's BERT and causal tasks per TensorFlow.js backend, in headless Chromium (bench.html).",
        date: new Date().toISOString(),
        machine: {
          name: machine,
          cpuModel: cpu[0]?.model ?? 'unknown',
          logicalCores: cpu.length,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          browser: `Chromium ${browser.version()}`,
          userAgent: environment.userAgent,
          crossOriginIsolated: environment.crossOriginIsolated,
        },
        loadAverage: { before: loadBefore, after: loadAfter },
        threadRatios: threadRatios(results),
        results,
        table,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${output}`);
} finally {
  await browser.close();
  await server.close();
}
