/**
 * The demo served by Vite itself, as a developer runs it: `vite` (the dev server, `pnpm demo:web`)
 * and `vite preview` (the production build). Both must send the cross-origin isolation headers
 * (`scripts/vite/cross-origin-isolation.mjs`), so that the page is `crossOriginIsolated` and
 * tfjs-backend-wasm starts its threaded binary with one thread per logical core. The static
 * server of the other e2e tests is checked in `backends.e2e.ts`.
 *
 * Run with `pnpm --filter @lm-objectives/demo test:e2e` (builds first: the preview serves `dist/web`).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { createServer, preview } from 'vite';
import { chromiumLaunchOptions } from '../../../scripts/chromium/launch-options.mjs';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const configFile = join(root, 'vite.config.ts');
/** Server options shared by both: loopback only, any free port, no browser opened. */
const LISTEN = { host: '127.0.0.1', port: 0, strictPort: false, open: false } as const;

let browser: Browser;

before(async () => {
  browser = await chromium.launch(chromiumLaunchOptions());
});

after(async () => {
  await browser?.close();
});

/** Opens `url`, waits until the page has picked its backend, and reads what it picked and why. */
async function pickedBackend(
  url: string,
): Promise<{ isolated: boolean; cores: number; help: string; problems: string[] }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(url);
    // The dev server transforms tfjs on first request: give it time on a busy machine.
    await page.waitForSelector('body[data-status="ready"]', { timeout: 240_000 });
    const facts = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
      help: document.getElementById('backend-help')?.textContent ?? '',
    }));
    return { ...facts, problems };
  } finally {
    await context.close();
  }
}

function assertThreaded(found: Awaited<ReturnType<typeof pickedBackend>>, server: string): void {
  assert.equal(found.isolated, true, `${server}: crossOriginIsolated`);
  const threads = Math.min(found.cores, 8);
  assert.match(found.help, new RegExp(`^Picked wasm, ${threads} threads?`), found.help);
  assert.deepEqual(found.problems, [], `${server}: the page reported errors`);
}

test('vite preview sends the isolation headers: the built demo picks wasm on every core', async () => {
  assert.ok(
    existsSync(join(root, 'dist', 'web', 'index.html')),
    'no build: run `vite build` first',
  );
  const server = await preview({ configFile, logLevel: 'warn', preview: LISTEN });
  try {
    const url = server.resolvedUrls?.local[0];
    assert.ok(url, 'vite preview gave no URL');
    const response = await fetch(url);
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assertThreaded(await pickedBackend(`${url}?objective=causal`), 'vite preview');
  } finally {
    await server.close();
  }
});

test('the vite dev server sends the isolation headers: the demo picks wasm on every core', async () => {
  const server = await createServer({ configFile, logLevel: 'warn', server: LISTEN });
  try {
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    assert.ok(url, 'vite gave no URL');
    const response = await fetch(url);
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assertThreaded(await pickedBackend(`${url}?objective=causal`), 'vite dev server');
  } finally {
    await server.close();
  }
});
