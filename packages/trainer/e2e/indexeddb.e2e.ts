/**
 * Browser end-to-end test of the IndexedDB checkpoint path and of training in a Web Worker, in a
 * real Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core):
 *
 * 1. the whole run in one page load;
 * 2. part of it, saved to the browser's IndexedDB (in several chunks);
 * 3. a new page load that loads the checkpoint into a trainer built from other seeds and finishes
 *    the run — its losses must equal the uninterrupted run's, bit for bit;
 * 4. a Web Worker that trains until the page tells it to stop, then saves from the worker.
 *
 * Run with `pnpm --filter @lm-objectives/trainer test:e2e` (needs `apt-get install chromium`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../../scripts/chromium/launch-options.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

let site = '';
let profile = '';
let server: Server;
let context: BrowserContext;
let origin = '';

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'trainer-e2e-site-'));
  profile = await mkdtemp(join(tmpdir(), 'trainer-e2e-profile-'));
  await build({
    entryPoints: { page: join(here, 'page.ts'), worker: join(here, 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: site,
    sourcemap: true,
    logLevel: 'warning',
  });
  await writeFile(
    join(site, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>trainer e2e</title><script type="module" src="./page.js"></script>\n',
  );
  server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = join(site, path === '/' ? 'index.html' : path.slice(1));
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The fresh profile directory: playwright passes it to Chromium as --user-data-dir itself (and
  // refuses the flag in args).
  context = await chromium.launchPersistentContext(profile, chromiumLaunchOptions());
});

after(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await rm(site, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
});

/** Opens the page at `stage` (a fresh page load each time) and returns what it computed. */
async function runStage<T>(stage: string): Promise<T> {
  const page: Page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto(`${origin}/?stage=${stage}`);
    await page.waitForFunction(
      () => window.e2eResult !== undefined || window.e2eError !== undefined,
      undefined,
      {
        timeout: 120_000,
      },
    );
    const error = await page.evaluate(() => window.e2eError);
    assert.equal(error, undefined, `stage ${stage} failed in the browser: ${error}`);
    assert.deepEqual(problems, []);
    return (await page.evaluate(() => window.e2eResult)) as T;
  } finally {
    await page.close();
  }
}

test('a checkpoint saved to IndexedDB and loaded in a new page load resumes the run exactly', async () => {
  const reference = await runStage<{ losses: number[] }>('uninterrupted');
  const saved = await runStage<{ losses: number[] }>('save');
  const resumed = await runStage<{ losses: number[]; step: number; tensors: number }>('resume');
  assert.equal(reference.losses.length, 20);
  assert.equal(resumed.step, 9);
  assert.equal(resumed.tensors, 12); // 4 weights + 2 × 4 AdamW moments
  assert.deepEqual([...saved.losses, ...resumed.losses], reference.losses);
  console.log(
    `resumed losses (steps 10–20) equal the uninterrupted run's bit for bit: ${resumed.losses
      .map((loss) => loss.toFixed(6))
      .join(', ')}`,
  );
});

test('a Web Worker training run receives a stop message between steps and checkpoints from the worker', async () => {
  const result = await runStage<{ stoppedAt: number; savedStep: number }>('worker');
  // The page sends 'stop' when step 3 is reported: the worker stops a few steps later, not never.
  assert.ok(
    result.stoppedAt >= 3 && result.stoppedAt < 1000,
    `stopped at step ${result.stoppedAt}`,
  );
  assert.equal(result.savedStep, result.stoppedAt);
  console.log(
    `the worker stopped at step ${result.stoppedAt} and saved its checkpoint to IndexedDB`,
  );
});

test('an IndexedDB save aborted at each of its requests leaves the previous checkpoint, bit-identical', async () => {
  const result = await runStage<{
    requests: number;
    aborted: number;
    lost: number;
    untyped: number;
    orphans: number;
  }>('abort-each-request');
  assert.ok(result.requests >= 6, `a save made ${result.requests} requests`);
  assert.deepEqual(
    { lost: result.lost, untyped: result.untyped, orphans: result.orphans },
    { lost: 0, untyped: 0, orphans: 0 },
  );
  console.log(
    `aborted at each of ${result.requests} requests: ${result.lost} checkpoints lost, every failure a CheckpointSaveError, no orphan chunks`,
  );
});

test('a worker terminated in the middle of a 54 MB save leaves the previous checkpoint', async () => {
  const result = await runStage<{ previousKept: boolean; chunksAfterNextSave: number }>(
    'terminate-worker-mid-save',
  );
  assert.equal(result.previousKept, true);
  assert.equal(result.chunksAfterNextSave, 3);
});

/** Opens the page at `stage` and closes it the moment it logs `signal` to the console. */
async function closeOnSignal(stage: string, signal: string): Promise<string> {
  const page: Page = await context.newPage();
  const closed = new Promise<string>((resolve, reject) => {
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith(signal)) {
        page.close().then(() => resolve(text.slice(signal.length).trim()), reject);
      }
    });
    page.on('pageerror', (error) => reject(error));
  });
  await page.goto(`${origin}/?stage=${stage}`);
  // A stage that fails before its signal reports through window.e2eError.
  const failed = page
    .waitForFunction(() => window.e2eError !== undefined, undefined, { timeout: 120_000 })
    .then(async () => {
      throw new Error(
        `stage ${stage} failed in the browser: ${await page.evaluate(() => window.e2eError)}`,
      );
    });
  return Promise.race([closed, failed]);
}

test('a page closed in the middle of a 54 MB save leaves the previous checkpoint for the next page', async () => {
  const previous = await closeOnSignal('close-page-mid-save', 'saving-large');
  const after = await runStage<{ loaded: string; chunksAfterNextSave: number }>(
    'after-closed-page',
  );
  assert.equal(after.loaded, previous);
  assert.equal(after.chunksAfterNextSave, 3);
});
