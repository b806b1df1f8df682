/**
 * The demo's backends in a real Chromium (Debian's, headless, WebGPU enabled: SwiftShader without
 * a GPU). Served with the cross-origin isolation headers, the page picks wasm on every logical
 * core and its pthreads run; served without them, wasm runs on one thread and the page says why.
 * Through the benchmark page's worker, 20 training steps of each demo task on WebGPU give the
 * losses cpu gives; and WebGPU chosen in the UI trains, with the software-adapter warning shown.
 *
 * Run with `pnpm --filter @lm-objectives/demo test:e2e` (builds first). `DEMO_WEBGPU_STEPS`
 * changes the 20 steps.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_WEBGPU_ARGS,
  chromiumLaunchOptions,
} from '../../../scripts/chromium/launch-options.mjs';
// The type import brings in `window.demoBench`'s declaration.
import type { DemoBenchApi } from '../src/web/bench/bench-page';
import type { BenchRequest, BenchResult } from '../src/web/bench/bench-protocol';
import { type StaticServer, serveDirectory } from './static-server';

const site = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'web');
const STEPS = Number(process.env['DEMO_WEBGPU_STEPS'] ?? 20);
/** Small enough for SwiftShader, which emulates the GPU on the CPU; each task's real objective, model and data. */
const SMALL = {
  name: 'test',
  hiddenSize: 32,
  numLayers: 1,
  numHeads: 2,
  sequenceLength: 24,
  batchSize: 4,
};
/** Relative loss difference allowed per step (measured: at most 6e-7 over 20 steps). */
const LOSS_TOLERANCE = 1e-4;

let isolated: StaticServer;
let plain: StaticServer;
let browser: Browser;

before(async () => {
  assert.ok(existsSync(join(site, 'bench.html')), `no build at ${site}: run \`vite build\` first`);
  isolated = await serveDirectory(site);
  plain = await serveDirectory(site, { crossOriginIsolated: false });
  browser = await chromium.launch(
    chromiumLaunchOptions({ args: [...CHROMIUM_ARGS, ...CHROMIUM_WEBGPU_ARGS] }),
  );
});

after(async () => {
  await browser?.close();
  await isolated?.close();
  await plain?.close();
});

/** A page that records uncaught errors and console errors. */
async function open(
  url: string,
): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

async function backendHelp(page: Page): Promise<string> {
  await page.waitForSelector('body[data-status="ready"]', { timeout: 180_000 });
  return (await page.locator('#backend-help').textContent()) ?? '';
}

/** Runs one benchmark request in the bench page's worker. */
function runBench(page: Page, request: BenchRequest): Promise<BenchResult> {
  return page.evaluate((request) => (window.demoBench as DemoBenchApi).run(request), request);
}

test('served cross-origin isolated, the demo picks wasm on every logical core and its threads run', async () => {
  const { page, problems, close } = await open(`${isolated.origin}/?objective=causal`);
  try {
    const help = await backendHelp(page);
    const facts = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
    }));
    assert.equal(facts.isolated, true, 'crossOriginIsolated');
    const threads = Math.min(facts.cores, 8);
    assert.match(help, new RegExp(`^Picked wasm, ${threads} threads?`), help);
    assert.equal(await page.locator('#backend').inputValue(), 'wasm');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
  const bench = await open(`${isolated.origin}/bench.html`);
  try {
    await bench.page.waitForFunction(() => window.demoBench !== undefined);
    const cores = await bench.page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Math.min(cores, 8);
    const result = await runBench(bench.page, {
      task: 'causal',
      backend: 'wasm',
      threads,
      size: SMALL,
      warmupSteps: 0,
      measuredSteps: 2,
      maxSeconds: 60,
      seed: 1,
    });
    // tf.wasm.getThreadsCount() in the worker: the pool really has the threads.
    assert.equal(result.threads, threads, `wasm ran on ${result.threads} threads`);
    if (threads > 1) assert.match(result.adapter, /^threaded SIMD binary/);
    assert.deepEqual(bench.problems, []);
  } finally {
    await bench.close();
  }
});

test('served without the headers, wasm runs on one thread and the page says why', async () => {
  const { page, problems, close } = await open(`${plain.origin}/?objective=causal`);
  try {
    const help = await backendHelp(page);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match(help, /^Picked wasm, 1 thread/);
    const option = await page.locator('#backend option[value="wasm"]').textContent();
    assert.equal(option, 'wasm, 1 thread — recommended');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test(`${STEPS} training steps of each demo task on WebGPU give cpu's losses`, async () => {
  const { page, problems, close } = await open(`${isolated.origin}/bench.html`);
  try {
    await page.waitForFunction(() => window.demoBench !== undefined);
    const tasks = ['bert', 'glm', 'causal', 'lora', 'prefix'] as const;
    const requests = (backend: 'cpu' | 'webgpu'): BenchRequest[] =>
      tasks.map((task) => ({
        task,
        backend,
        size: SMALL,
        warmupSteps: 0,
        measuredSteps: STEPS,
        maxSeconds: Number.POSITIVE_INFINITY,
        seed: 1,
      }));
    // One worker per backend: the WebGPU pipelines compiled for the first task (a minute on
    // SwiftShader) serve the others. The two workers run side by side (cpu on one core while
    // SwiftShader compiles on the other).
    const series = (backend: 'cpu' | 'webgpu') =>
      page.evaluate(
        (requests) => (window.demoBench as DemoBenchApi).runSeries(requests),
        requests(backend),
      );
    const [references, webgpuRuns] = await Promise.all([series('cpu'), series('webgpu')]);
    tasks.forEach((task, index) => {
      const reference = references[index]!;
      const webgpu = webgpuRuns[index]!;
      assert.equal(webgpu.backend, 'webgpu');
      assert.equal(webgpu.losses.length, STEPS);
      const worst = Math.max(
        ...reference.losses.map(
          (loss, step) => Math.abs(webgpu.losses[step]! - loss) / Math.abs(loss),
        ),
      );
      console.log(
        `${task}: ${STEPS} steps, loss ${reference.losses[0]!.toFixed(4)} → ${reference.losses.at(-1)!.toFixed(4)} on cpu; largest relative difference on WebGPU (${webgpu.adapter}) ${worst.toExponential(2)}`,
      );
      assert.ok(worst <= LOSS_TOLERANCE, `${task}: losses differ by up to ${worst} (relative)`);
      for (const result of [reference, webgpu]) {
        assert.equal(
          result.tensors.after,
          result.tensors.before,
          `${task} leaked tensors on ${result.backend}`,
        );
      }
    });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('chosen in the UI, WebGPU trains, and the page warns that its adapter is emulated', async () => {
  const { page, problems, close } = await open(
    `${isolated.origin}/?objective=causal&backend=webgpu`,
  );
  try {
    await backendHelp(page);
    assert.match((await page.locator('#status').textContent()) ?? '', /^Ready on webgpu/);
    const warning = page.locator('#backend-warning');
    assert.equal(await warning.isVisible(), true);
    assert.match((await warning.textContent()) ?? '', /software adapter/);
    await page.click('#start');
    // One step at the demo's size takes tens of seconds on SwiftShader: one point proves it trains
    // (the 20-step agreement with cpu is the test above).
    await page.waitForFunction(
      () => Number(document.getElementById('loss-figure')?.dataset['points']) >= 1,
      null,
      { timeout: 300_000 },
    );
    await page.click('#pause');
    await page.waitForSelector('body[data-status="paused"]', { timeout: 300_000 });
    const lastLoss = Number(await page.locator('#loss-figure').getAttribute('data-last-loss'));
    assert.ok(Number.isFinite(lastLoss) && lastLoss > 0, `last loss ${lastLoss}`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
