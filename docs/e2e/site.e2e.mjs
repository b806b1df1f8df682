/**
 * Browser end-to-end test of the built docs site (`pnpm --filter @lm-objectives/docs build` first),
 * in Debian's Chromium driven by playwright-core: the site is served from `.vitepress/dist` on
 * 127.0.0.1 and checked for
 *
 * 1. the home page;
 * 2. an objective page whose formulas MathJax rendered (SVG present, no raw `$$` left);
 * 3. the API page of `crossEntropy`;
 * 4. local search for `linearCrossEntropy` returning its API page.
 *
 * Screenshots go to `e2e/artifacts/` (gitignored). Needs `/usr/bin/chromium` or `$CHROMIUM_PATH`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../../scripts/chromium/launch-options.mjs';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const site = join(docsRoot, '.vitepress', 'dist');
const artifacts = join(docsRoot, 'e2e', 'artifacts');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

let server;
let browser;
let profile = '';
let origin = '';
const pageErrors = [];

/** The file VitePress wrote for a clean URL: `/guide/x` → `guide/x.html`, `/api/` → `api/index.html`. */
async function resolveFile(pathname) {
  const relativePath = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  const candidates = relativePath.endsWith('/')
    ? [join(site, relativePath, 'index.html')]
    : [
        join(site, relativePath),
        join(site, `${relativePath}.html`),
        join(site, relativePath, 'index.html'),
      ];
  for (const candidate of candidates) {
    if (!candidate.startsWith(site)) continue;
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {}
  }
  return undefined;
}

before(async () => {
  assert.ok(
    existsSync(join(site, 'index.html')),
    `no built site in ${site}: run the docs build first`,
  );
  assert.ok(
    existsSync(CHROMIUM_PATH),
    `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH`,
  );
  await mkdir(artifacts, { recursive: true });
  server = createServer(async (request, response) => {
    const file = await resolveFile(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(await readFile(join(site, '404.html')));
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  profile = await mkdtemp(join(tmpdir(), 'docs-e2e-profile-'));
  browser = await chromium.launchPersistentContext(
    profile,
    chromiumLaunchOptions({ viewport: { width: 1280, height: 900 } }),
  );
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (profile) await rm(profile, { recursive: true, force: true });
  assert.deepEqual(pageErrors, [], 'the pages threw in the browser');
});

/** A fresh page at `path`, with its JavaScript errors collected. */
async function open(path) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
  return page;
}

test('the home page loads with its title, tagline and links into the guide', async () => {
  const page = await open('/');
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
  assert.match(await page.title(), /lm-objectives/);
  assert.match(await page.locator('.VPHero .name').textContent(), /lm-objectives/);
  assert.match(await page.locator('.VPHero .text').textContent(), /objectives for TensorFlow\.js/);
  await page.locator('.VPHero a', { hasText: 'Get started' }).click();
  await page.waitForURL(/\/guide\/getting-started$/);
  // Client-side navigation: the URL changes before the new page is rendered.
  await page.locator('.vp-doc h1', { hasText: 'Getting started' }).waitFor();
  await page.close();
});

test('the GLM page renders its formulas with MathJax and leaves no raw $$', async () => {
  const page = await open('/objectives/glm');
  await page.screenshot({ path: join(artifacts, 'objective-glm.png'), fullPage: true });
  const formulas = await page.locator('mjx-container svg').count();
  assert.ok(formulas >= 10, `expected at least 10 MathJax SVG formulas, found ${formulas}`);
  const displayed = await page.locator('mjx-container[display="true"] svg').count();
  assert.ok(displayed >= 3, `expected the display formulas as SVG, found ${displayed}`);
  const text = await page.locator('.vp-doc').textContent();
  assert.ok(!text.includes('$$'), 'raw $$ left in the page text');
  assert.doesNotMatch(text, /\$\\(mathrm|max|sum|frac)/, 'raw inline LaTeX left in the page text');
  // The worked example's attention matrix: Part A rows see 6 keys, the last Part B row all 11.
  const figure = await page.locator('.vp-doc pre', { hasText: 'query ↓' }).textContent();
  const rows = (figure ?? '').split('\n');
  const allowed = (label) =>
    (rows.find((row) => row.trim().startsWith(label)) ?? '').split('●').length - 1;
  assert.equal(allowed('0  CLS'), 6);
  assert.equal(allowed('10  x3'), 11);
  await page.close();
});

test('the API page of crossEntropy documents its signature and renders its formula', async () => {
  const page = await open('/api/@lm-objectives/core/functions/crossEntropy');
  await page.screenshot({ path: join(artifacts, 'api-cross-entropy.png'), fullPage: true });
  assert.match(await page.locator('h1').first().textContent(), /crossEntropy/);
  const text = await page.locator('.vp-doc').textContent();
  assert.match(text, /ignoreIndex/);
  assert.match(text, /Parameters/);
  assert.match(text, /ShapeMismatchError/);
  assert.ok((await page.locator('.vp-doc mjx-container svg').count()) > 0, 'no rendered formula');
  assert.ok(!text.includes('$$'), 'raw $$ left in the API page');
  await page.close();
});

test('local search for linearCrossEntropy returns its API page, which opens', async () => {
  const page = await open('/guide/getting-started');
  await page.locator('.VPNavBarSearch button').click();
  const input = page.locator('#localsearch-input');
  await input.waitFor();
  await input.fill('linearCrossEntropy');
  const target = page.locator(
    '#localsearch-list a.result[href*="/api/@lm-objectives/core/functions/linearCrossEntropy"]',
  );
  await target.first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'search-linear-cross-entropy.png') });
  await target.first().click();
  await page.waitForURL(/\/api\/@lm-objectives\/core\/functions\/linearCrossEntropy/);
  await page.locator('.vp-doc h1', { hasText: 'linearCrossEntropy' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'api-linear-cross-entropy.png') });
  await page.close();
});
