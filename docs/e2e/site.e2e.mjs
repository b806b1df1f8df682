/**
 * Browser end-to-end test of the built docs site (`pnpm --filter @lm-objectives/docs build` first),
 * in Debian's Chromium driven by playwright-core, at 1280 px and 390 px:
 *
 * 1. the home page: its links to the repository and the browser demo, its picture;
 * 2. Getting started: the path that works before publication, the first example and its output;
 * 3. no element overflows its container on any guide or objective page (and the API pages whose
 *    formula and signature were cut off), at both widths; wide blocks scroll with a hint;
 * 4. every objective page has a figure with alt text that loads, at both widths;
 * 5. formulas rendered by MathJax; the GLM page's Chinese and Japanese marks have glyphs;
 * 6. the Performance page opens with its summary; its result files are reachable;
 * 7. local search: no duplicate results, concept pages above benchmark data.
 *
 * Screenshots go to `e2e/artifacts/` (gitignored). Needs `/usr/bin/chromium` or `$CHROMIUM_PATH`
 * and a CJK font (`node scripts/ensure-cjk-font.mjs` installs one on Debian).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../../scripts/chromium/launch-options.mjs';
import { findMissingGlyphs, findOverflows } from './layout-checks.mjs';
import { artifacts, docsRoot, serveSite, site, sitePages } from './site-server.mjs';

const WIDTHS = [1280, 390];
const { repository } = JSON.parse(readFileSync(join(docsRoot, '..', 'package.json'), 'utf8'));
const REPOSITORY_URL = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

let server;
let browser;
let profile = '';
const pageErrors = [];

before(async () => {
  assert.ok(
    existsSync(join(site, 'index.html')),
    `no built site in ${site}: run the docs build first`,
  );
  assert.ok(
    existsSync(CHROMIUM_PATH),
    `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH`,
  );
  server = await serveSite();
  profile = await mkdtemp(join(tmpdir(), 'docs-e2e-profile-'));
  browser = await chromium.launchPersistentContext(
    profile,
    chromiumLaunchOptions({ viewport: { width: 1280, height: 900 } }),
  );
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  assert.deepEqual(pageErrors, [], 'the pages threw in the browser');
});

/** A fresh page at `path` and `width`, with its JavaScript errors collected. */
async function open(path, width = 1280) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  const response = await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle' });
  assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
  // The theme marks the page once its scroll hints are set (after hydration and fonts).
  await page
    .locator('html[data-scroll-hints="ready"]')
    .waitFor({ state: 'attached', timeout: 15_000 });
  return page;
}

const shotName = (path, width) =>
  `${path.replace(/^\/|\/$/g, '').replace(/[^\w]+/g, '-') || 'home'}-${width}.png`;

test('the home page links to the guide, the repository and the browser demo, and shows a picture', async () => {
  const page = await open('/');
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
  assert.match(await page.title(), /lm-objectives/);
  assert.match(await page.locator('.VPHero .text').textContent(), /objectives for TensorFlow\.js/);
  const actions = await page.$$eval('.VPHero .actions a', (links) =>
    links.map((link) => [link.textContent.trim(), link.href]),
  );
  const hrefOf = (label) => actions.find(([text]) => text === label)?.[1];
  assert.equal(hrefOf('Repository'), REPOSITORY_URL);
  assert.equal(hrefOf('Browser demo'), `${server.origin}/demo/`);
  assert.ok(
    await page.locator(`.VPNavBar a[href="${REPOSITORY_URL}"]`).count(),
    'no repository link in the navigation bar',
  );
  const picture = page.locator('.vp-doc figure img').first();
  assert.ok((await picture.getAttribute('alt'))?.length > 40, 'the picture has no alt text');
  assert.ok(
    await picture.evaluate((image) => image.complete && image.naturalWidth > 0),
    'the picture did not load',
  );
  await page.locator('.VPHero a', { hasText: 'Get started' }).click();
  await page.waitForURL(/\/guide\/getting-started$/);
  await page.locator('.vp-doc h1', { hasText: 'Getting started' }).waitFor();
  await page.close();
});

test('the browser demo is served beside the site and links back to it', async () => {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`/demo/: ${error.message}`));
  const response = await page.goto(`${server.origin}/demo/`, { waitUntil: 'load' });
  assert.equal(response?.status(), 200, `/demo/ answered ${response?.status()}`);
  await page.locator('#docs-link').waitFor();
  assert.equal(await page.locator('#docs-link').evaluate((link) => link.href), `${server.origin}/`);
  await page.locator('#docs-link').click();
  await page.waitForURL(`${server.origin}/`);
  assert.match(await page.title(), /lm-objectives/);
  await page.close();
});

test('Getting started gives the path that works before publication, the first example and its output', async () => {
  const page = await open('/guide/getting-started');
  const text = await page.locator('.vp-doc').textContent();
  assert.match(text, /Not on npm yet/);
  assert.match(text, /npm run pack:packages -- bert/);
  assert.match(text, /npm i \.\.\/lm-objectives\/packed\/lm-objectives-core\.tgz/);
  assert.match(text, /once the packages are published/);
  const expected = readFileSync(
    join(docsRoot, 'examples', 'first-steps', 'first-steps.output.txt'),
    'utf8',
  ).trim();
  const blocks = await page.$$eval('.vp-doc div[class*="language-"] pre', (pres) =>
    pres.map((pre) => pre.textContent),
  );
  assert.ok(
    blocks.some((block) => block.trim() === expected),
    'the expected output is not shown as a block',
  );
  assert.ok(
    blocks.some(
      (block) => block.includes('createBertObjective') && block.includes('createRng(42)'),
    ),
    'the first example is not shown',
  );
  assert.ok(
    blocks.some((block) => block.trim() === 'node first-steps.mjs'),
    'the command that runs it is not shown',
  );
  await page.close();
});

test('no element overflows its container on the guide, objective and key API pages, at 1280 and 390 px', {
  timeout: 600_000,
}, async () => {
  const paths = [
    '/',
    ...(await sitePages('guide')),
    ...(await sitePages('objectives')),
    '/api/@lm-objectives/core/functions/crossEntropy',
    '/api/@lm-objectives/trainer/functions/createTrainer',
  ];
  const failures = [];
  for (const width of WIDTHS) {
    for (const path of paths) {
      const page = await open(path, width);
      const problems = await page.evaluate(findOverflows);
      if (problems.length > 0) {
        await page.screenshot({
          path: join(artifacts, `overflow-${shotName(path, width)}`),
          fullPage: true,
        });
        failures.push(...problems.map((problem) => `${path} at ${width} px: ${problem}`));
      }
      await page.close();
    }
  }
  assert.deepEqual(failures, []);
});

test('the formula and signature that were cut off scroll with a visible hint at 390 px', async () => {
  for (const [path, selector] of [
    ['/guide/writing-a-plugin', '.scroll-frame:has(mjx-container[display="true"])'],
    ['/api/@lm-objectives/trainer/functions/createTrainer', 'div[class*="language-"]'],
  ]) {
    const page = await open(path, 390);
    const hinted = await page
      .locator(`.vp-doc ${selector}[data-scrollable]:not([data-scrolled-end])`)
      .count();
    assert.ok(hinted > 0, `${path}: no wide block shows the scroll hint`);
    await page.screenshot({ path: join(artifacts, shotName(path, 390)), fullPage: true });
    await page.close();
  }
});

test('every objective page has a figure with alt text and a caption, which loads at both widths', async () => {
  for (const width of WIDTHS) {
    for (const path of await sitePages('objectives')) {
      const page = await open(path, width);
      await page.screenshot({ path: join(artifacts, shotName(path, width)), fullPage: true });
      const figures = await page.$$eval('.vp-doc figure', (elements) =>
        elements.map((figure) => {
          const image = figure.querySelector('img');
          return {
            alt: image?.getAttribute('alt') ?? '',
            caption: figure.querySelector('figcaption')?.textContent?.trim() ?? '',
            loaded: Boolean(image?.complete && image.naturalWidth > 0),
            source: image?.currentSrc ?? '',
          };
        }),
      );
      assert.ok(figures.length >= 1, `${path} has no figure`);
      for (const figure of figures) {
        assert.ok(figure.alt.length > 40, `${path}: a figure without a real alt text`);
        assert.ok(figure.caption.length > 20, `${path}: a figure without a caption`);
        assert.ok(figure.loaded, `${path} at ${width} px: ${figure.source} did not load`);
      }
      await page.close();
    }
  }
});

test('the GLM page renders its formulas with MathJax and its Chinese and Japanese marks with glyphs', async () => {
  const page = await open('/objectives/glm');
  const formulas = await page.locator('mjx-container svg').count();
  assert.ok(formulas >= 10, `expected at least 10 MathJax SVG formulas, found ${formulas}`);
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
  const marks = [...new Set(text.match(/[\u3000-\u303f\uff00-\uffef\u2026]/g) ?? [])].join('');
  assert.ok(marks.length >= 3, `expected the CJK sentence marks on the page, found "${marks}"`);
  const missing = await page.evaluate(findMissingGlyphs, {
    selector: '.vp-doc p code',
    characters: marks,
  });
  assert.deepEqual(missing, [], `these marks render as boxes: ${missing.join(' ')}`);
  await page.close();
});

test('the API page of crossEntropy documents its signature and renders its formula', async () => {
  const page = await open('/api/@lm-objectives/core/functions/crossEntropy');
  await page.screenshot({ path: join(artifacts, 'api-cross-entropy.png'), fullPage: true });
  assert.match(await page.locator('h1').first().textContent(), /crossEntropy/);
  const text = await page.locator('.vp-doc').textContent();
  assert.match(text, /ignoreIndex/);
  assert.match(text, /ShapeMismatchError/);
  assert.ok((await page.locator('.vp-doc mjx-container svg').count()) > 0, 'no rendered formula');
  assert.ok(!text.includes('$$'), 'raw $$ left in the API page');
  await page.close();
});

test('the Performance page opens with its summary and charts, and links every result file', async () => {
  const page = await open('/guide/performance');
  await page.screenshot({ path: join(artifacts, 'performance.png'), fullPage: true });
  const headings = await page.$$eval('.vp-doc h2', (elements) =>
    elements.map((element) => element.textContent.replace(/\u200b/g, '').trim()),
  );
  assert.equal(headings[0], 'Summary');
  const firstTable = await page.locator('.vp-doc h2 ~ .scroll-frame table').first().textContent();
  assert.match(firstTable, /linearCrossEntropy/);
  assert.match(firstTable, /faster/);
  const allHeadings = await page.$$eval('.vp-doc h2, .vp-doc h3, .vp-doc h4', (elements) =>
    elements.map((element) => element.textContent),
  );
  assert.ok(
    allHeadings.every((heading) => !/bench\/results|\.json/.test(heading)),
    `file paths as headings: ${allHeadings.join(' | ')}`,
  );
  assert.ok((await page.locator('.vp-doc table').count()) <= 8, 'more tables than a summary needs');
  assert.doesNotMatch(await page.locator('.vp-doc').textContent(), /load average/i);
  const charts = await page.$$eval('.vp-doc figure img', (images) =>
    images.map((image) => image.naturalWidth),
  );
  assert.ok(charts.length >= 4 && charts.every((width) => width > 0), 'the charts did not load');
  await page.close();
  const data = await open('/guide/benchmark-data');
  const links = await data.$$eval('.vp-doc a[href$=".json"]', (anchors) =>
    anchors.map((anchor) => anchor.href),
  );
  assert.ok(links.length >= 5, 'the raw result files are not linked');
  for (const link of links) {
    const response = await data.request.get(link);
    assert.equal(response.status(), 200, `${link} answered ${response.status()}`);
    const body = await response.text();
    assert.doesNotThrow(() => JSON.parse(body), `${link} is not JSON`);
  }
  await data.close();
});

test('"Writing an objective plugin" links the example plugin in the repository', async () => {
  const page = await open('/guide/writing-a-plugin');
  const href = `${REPOSITORY_URL}/tree/main/examples/third-party-objective`;
  assert.ok((await page.locator(`.vp-doc a[href="${href}"]`).count()) >= 1, `no link to ${href}`);
  await page.close();
});

test('the objective pages install the wasm backend, as Getting started does', async () => {
  for (const path of await sitePages('objectives')) {
    const page = await open(path);
    const install = await page
      .locator('.vp-doc div.language-sh pre', { hasText: 'npm i @lm-objectives/' })
      .first()
      .textContent();
    assert.match(
      install,
      /@tensorflow\/tfjs @tensorflow\/tfjs-backend-wasm/,
      `${path}: ${install}`,
    );
    await page.close();
  }
});

/** The results local search lists for `query`: `{ href, titles }` in order. */
async function search(page, query) {
  await page.locator('.VPNavBarSearch button').click();
  const input = page.locator('#localsearch-input');
  await input.waitFor();
  await input.fill(query);
  await page.locator('#localsearch-list a.result').first().waitFor({ timeout: 30_000 });
  return page.$$eval('#localsearch-list a.result', (anchors) =>
    anchors.map((anchor) => ({
      href: anchor.getAttribute('href'),
      titles: (anchor.querySelector('.titles')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
}

test('local search lists each place once and ranks the concept page above the benchmark data', async () => {
  const page = await open('/guide/getting-started');
  const results = await search(page, 'linearCrossEntropy');
  await page.screenshot({ path: join(artifacts, 'search-linear-cross-entropy.png') });
  const titles = results.map((result) => result.titles);
  assert.equal(new Set(titles).size, titles.length, `duplicate results: ${titles.join(' | ')}`);
  assert.ok(
    titles.every((title) => !title.includes('Call Signature')),
    'overload headings in the results',
  );
  const rank = (pattern) => results.findIndex((result) => pattern.test(result.href));
  const concept = rank(/^\/guide\/cross-entropy/);
  assert.ok(concept >= 0, 'the cross-entropy contract is not found');
  const data = rank(/^\/guide\/(performance|benchmark-data)#/);
  assert.ok(
    data === -1 || concept < data,
    `the concept page ranks ${concept + 1}, below benchmark data at ${data + 1}`,
  );
  assert.ok(
    rank(/\/api\/@lm-objectives\/core\/functions\/linearCrossEntropy/) >= 0,
    'the API page is not found',
  );
  await page
    .locator('#localsearch-list a.result[href*="/functions/linearCrossEntropy"]')
    .first()
    .click();
  await page.waitForURL(/\/api\/@lm-objectives\/core\/functions\/linearCrossEntropy/);
  await page.locator('.vp-doc h1', { hasText: 'linearCrossEntropy' }).waitFor();
  await page.close();
});
