/**
 * End-to-end test of the browser demo in a real Chromium (Debian's `/usr/bin/chromium`, or
 * `$CHROMIUM_PATH`, driven by playwright-core, headless, background networking off). It serves the
 * built app (`vite build` → `dist/web`) from a local static server, trains every objective in
 * the Web Worker on the default wasm backend, checks that the loss chart has points and that the
 * loss fell, that the held-out panel shows the baselines and the goals, that each visualiser
 * rendered its elements, that LoRA on the shipped checkpoint completes the held-out prompts, that
 * training goes on past the schedule, and saves screenshots at 1280×800 and at a 390 px phone
 * width to `e2e/artifacts/`.
 *
 * Run with `pnpm --filter @lm-objectives/demo test:e2e` (builds first).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../../scripts/chromium/launch-options.mjs';
import { serveDirectory } from './static-server';

const here = fileURLToPath(new URL('.', import.meta.url));
const site = join(here, '..', 'dist', 'web');
const artifacts = join(here, 'artifacts');
/** Training steps per objective: enough for the mean of the last steps to sit below the first. */
const STEPS = Number(process.env['DEMO_E2E_STEPS'] ?? 12);
/** Prefix tuning's steps: enough for the mean of the last steps to sit clearly below the first. */
const PREFIX_STEPS = 30;
/** Pre-training steps of a causal base trained on the page (the page's default is the full run). */
const BASE_STEPS = 24;
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

let server: { origin: string; close(): Promise<void> };
let browser: Browser;

before(async () => {
  assert.ok(existsSync(join(site, 'index.html')), `no build at ${site}: run \`vite build\` first`);
  await mkdir(artifacts, { recursive: true });
  server = await serveDirectory(site);
  browser = await chromium.launch(chromiumLaunchOptions());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page at `viewport` that records uncaught errors and console errors. */
async function openPage(viewport: { width: number; height: number }): Promise<{
  page: Page;
  context: BrowserContext;
  problems: string[];
}> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, context, problems };
}

async function waitForStatus(page: Page, status: string, timeout = 180_000): Promise<void> {
  try {
    await page.waitForSelector(`body[data-status="${status}"]`, { timeout });
  } catch (error) {
    const text = await page.locator('#status').textContent();
    throw new Error(`waiting for status "${status}", the page says: ${text}`, { cause: error });
  }
}

/** Presses Start, waits for `steps` chart points, presses Pause, and waits for the worker to stop. */
async function trainFor(page: Page, steps: number): Promise<void> {
  await page.click('#start');
  await waitForStatus(page, 'running');
  await page.waitForFunction(
    (count) => Number(document.getElementById('loss-figure')?.dataset['points']) >= count,
    steps,
    { timeout: 180_000 },
  );
  await page.click('#pause');
  await waitForStatus(page, 'paused');
}

async function lossChart(page: Page) {
  return page.locator('#loss-figure').evaluate((figure: HTMLElement) => ({
    points: Number(figure.dataset['points']),
    trend: figure.dataset['trend'],
    first: Number(figure.dataset['firstLoss']),
    last: Number(figure.dataset['lastLoss']),
    caption: figure.querySelector('figcaption')?.textContent ?? '',
  }));
}

/** Asserts the loss chart has at least `steps` points and that the loss fell. */
async function assertLossFell(page: Page, objective: string, steps = STEPS): Promise<void> {
  const chart = await lossChart(page);
  assert.ok(chart.points >= steps, `${objective}: ${chart.points} chart points`);
  assert.equal(chart.trend, 'fell', `${objective}: ${chart.caption}`);
  // Chart.js drew the dataset: the canvas has non-background pixels in the loss colour.
  const drawn = await page.locator('#loss-chart').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    // The loss line colour #2451a6.
    for (let index = 0; index < data.length; index += 4) {
      if (
        Math.abs(data[index]! - 0x24) < 24 &&
        Math.abs(data[index + 1]! - 0x51) < 24 &&
        Math.abs(data[index + 2]! - 0xa6) < 24
      )
        count += 1;
    }
    return count;
  });
  assert.ok(drawn > 50, `${objective}: the loss line covers ${drawn} pixels`);
  console.log(
    `${objective}: ${chart.caption} (${await page.locator('#stat-speed').textContent()})`,
  );
}

async function count(page: Page, selector: string): Promise<number> {
  return page.locator(selector).count();
}

/** The held-out panel's rows (label → before, now, reference) and its goals. */
async function heldOutPanel(page: Page) {
  const rows = await page
    .locator('#evaluation table[data-kind="evaluation"] tbody tr')
    .evaluateAll((nodes) =>
      nodes.map((row) => Array.from(row.children, (cell) => cell.textContent ?? '')),
    );
  const goals = await page.locator('#evaluation ul.goals li').evaluateAll((nodes) =>
    nodes.map((node) => ({
      passed: (node as HTMLElement).dataset['passed'] === 'true',
      text: node.textContent ?? '',
    })),
  );
  const start = (await page.locator('#evaluation [data-part="start"]').textContent()) ?? '';
  return { rows, goals, start };
}

/** Asserts that nothing in the page scrolls sideways: the page itself and every table. */
async function assertNoSidewaysScrolling(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    elements: Array.from(document.querySelectorAll<HTMLElement>('.table-wrap, .position-columns'))
      .filter((node) => node.scrollWidth > node.clientWidth + 1)
      .map((node) => node.className),
  }));
  assert.ok(overflow.page <= 0, `${where}: the page scrolls sideways by ${overflow.page} px`);
  assert.deepEqual(overflow.elements, [], `${where}: these scroll sideways`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
  await page.screenshot({ path: join(artifacts, `${name}-full.png`), fullPage: true });
}

test('the page starts on wasm, offers the backends the browser has, and another one chosen in the UI trains too', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    await page.goto(`${server.origin}/?objective=causal`);
    await waitForStatus(page, 'ready');
    assert.match((await page.locator('#status').textContent()) ?? '', /^Ready on wasm/);
    assert.equal(await page.locator('#backend').inputValue(), 'wasm');
    const options = await page.locator('#backend option').evaluateAll((nodes) =>
      nodes.map((node) => ({
        value: (node as HTMLOptionElement).value,
        disabled: (node as HTMLOptionElement).disabled,
      })),
    );
    assert.deepEqual(
      options.find((option) => option.value === 'wasm'),
      { value: 'wasm', disabled: false },
    );
    console.log(`backends: ${await page.locator('#backend-help').textContent()}`);
    // The cpu backend by default: WebGL without a GPU runs on SwiftShader, whose shader compiles
    // take minutes here. DEMO_E2E_BACKEND=webgl checks WebGL instead.
    const other = process.env['DEMO_E2E_BACKEND'] ?? 'cpu';
    assert.ok(
      options.some((option) => option.value === other && !option.disabled),
      `${other} is offered: ${JSON.stringify(options)}`,
    );
    await page.selectOption('#backend', other);
    await waitForStatus(page, 'loading', 10_000).catch(() => undefined);
    await waitForStatus(page, 'ready');
    assert.match(
      (await page.locator('#status').textContent()) ?? '',
      new RegExp(`^Ready on ${other}`),
    );
    await trainFor(page, 3);
    const chart = await lossChart(page);
    assert.ok(chart.points >= 3 && Number.isFinite(chart.last), `${other}: ${chart.caption}`);
    console.log(`${other}: ${chart.caption}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('BERT trains with keyboard-operated controls; the view colours the masker’s actions and shows the NSP label and top guesses', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    // From scratch (one choice away from the shipped checkpoint): the loss falls from ln V.
    await page.goto(`${server.origin}/?objective=bert&base=scratch`);
    await waitForStatus(page, 'ready');
    // Keyboard only: focus Start, press Enter; later Space on Pause.
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'running');
    assert.match((await page.locator('#status').textContent()) ?? '', /^Training on wasm/);
    await page.waitForFunction(
      (steps) => Number(document.getElementById('loss-figure')?.dataset['points']) >= steps,
      STEPS,
      { timeout: 180_000 },
    );
    await page.focus('#pause');
    await page.keyboard.press('Space');
    await waitForStatus(page, 'paused');
    await assertLossFell(page, 'bert');

    assert.ok(Number(await page.locator('#accuracy-figure').getAttribute('data-points')) >= STEPS);
    const view = '.view[data-view="bert"]';
    const selected =
      (await count(page, `${view} ol.tokens .token[data-role="masked"]`)) +
      (await count(page, `${view} ol.tokens .token[data-role="random"]`)) +
      (await count(page, `${view} ol.tokens .token[data-role="kept"]`));
    assert.ok(selected >= 1, 'at least one position selected for the masked LM');
    assert.ok((await count(page, `${view} ol.tokens .token[data-role="untouched"]`)) > selected);
    assert.equal(
      await page.locator(`${view} ol.tokens .token`).first().getAttribute('data-role'),
      'special',
    );
    assert.match(
      (await page.locator(`${view} ol.tokens .token`).first().textContent()) ?? '',
      /^\[CLS\]/,
    );
    const separators = await page
      .locator(`${view} ol.tokens .token[data-role="special"]`)
      .allTextContents();
    assert.equal(
      separators.filter((text) => text.startsWith('[SEP]')).length,
      2,
      '[CLS] A [SEP] B [SEP]',
    );
    assert.ok(
      (await count(page, `${view} ol.tokens .token[data-segment="1"]`)) >= 2,
      'sentence B is marked',
    );
    assert.match(
      (await page.locator(`${view} .label-badge`).textContent()) ?? '',
      /^(IsNext|NotNext)$/,
    );
    const guesses = page.locator(`${view} ol[data-kind="masked-predictions"] li.guess`);
    assert.ok((await guesses.count()) >= 1, 'a box per masked position of the held-out pairs');
    assert.equal(
      (await guesses.first().locator('.guess-top').textContent())?.split(' · ').length,
      3,
    );
    assert.match(
      (await page.locator(`${view} h3`).last().textContent()) ?? '',
      /\(step [1-9]\d*\)/,
    );
    // The held-out panel: loss against the unigram loss and ln V, accuracy against the
    // most-frequent-token rate, next-sentence accuracy, and the two goals.
    const panel = await heldOutPanel(page);
    assert.match(panel.start, /^Starts from scratch/);
    assert.deepEqual(
      panel.rows.map((row) => row[0]),
      [
        'loss per masked token',
        'below the unigram loss',
        'top-1 accuracy',
        'next-sentence accuracy',
      ],
    );
    assert.match(panel.rows[0]![3]!, /^unigram \d\.\d{3} · ln V 8\.006$/);
    assert.match(panel.rows[2]![3]!, /^most frequent token \d+\.\d %$/);
    assert.equal(panel.goals.length, 2);
    const lossFigure = page.locator('#loss-figure');
    assert.ok(Number(await lossFigure.getAttribute('data-held-out-points')) >= 2);
    assert.equal(await page.locator('#docs-link').getAttribute('href'), '../');
    await screenshot(page, 'bert-1280x800');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('GLM, chosen with the arrow keys, shows Part A, Part B in permutation order, two position rows, the attention heatmap and infills', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    await page.goto(`${server.origin}/?base=scratch`);
    await waitForStatus(page, 'ready');
    // Arrow keys move through the radio group: BERT → GLM, which rebuilds the task.
    await page.focus('input[name="objective"][value="bert"]');
    await page.keyboard.press('ArrowDown');
    assert.equal(
      await page.locator('input[name="objective"]:checked').getAttribute('value'),
      'glm',
    );
    await page.waitForSelector('.view[data-view="glm"]', { timeout: 120_000 });
    await waitForStatus(page, 'ready');
    await trainFor(page, STEPS);
    await assertLossFell(page, 'glm');

    const view = '.view[data-view="glm"]';
    const masks = await count(page, `${view} ol.tokens .token[data-part="A"][data-role="masked"]`);
    const spans = await count(page, `${view} table[data-kind="glm-spans"] tbody tr`);
    assert.ok(masks >= 1, 'Part A has mask tokens');
    assert.equal(spans, masks, 'one Part B span per mask');
    const orders = await page
      .locator(`${view} table[data-kind="glm-spans"] tbody tr td:first-child`)
      .allTextContents();
    assert.deepEqual(
      orders,
      orders.map((_, index) => String(index + 1)),
    );
    const heatmap = page.locator(`${view} canvas.heatmap`);
    const size = Number(await heatmap.getAttribute('data-size'));
    const allowed = Number(await heatmap.getAttribute('data-allowed'));
    const separator = await count(page, `${view} ol.tokens .token[data-part="A"]`);
    // The GLM rule j < sep ∨ j ≤ i allows sep·n + (n − sep)(n − sep + 1)/2 pairs.
    assert.equal(allowed, separator * size + ((size - separator) * (size - separator + 1)) / 2);
    // The two position rows: one wrapped column per input token.
    const columns = await count(page, `${view} ol[data-kind="glm-positions"] li[data-part]`);
    assert.equal(columns, size, 'a position column per input token');
    assert.equal(
      await count(page, `${view} ol[data-kind="glm-positions"] [data-row="block-position"]`),
      size,
    );
    const painted = await heatmap.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let index = 0; index < data.length; index += 4)
        if (data[index + 2]! > 150 && data[index]! < 60) dark += 1;
      return dark / (canvas.width * canvas.height);
    });
    // The share of allowed cells, drawn in #2451a6, roughly matches allowed / n² (lines excepted).
    assert.ok(
      Math.abs(painted - allowed / (size * size)) < 0.1,
      `painted ${painted}, allowed ${allowed / size ** 2}`,
    );
    assert.ok((await count(page, `${view} table[data-kind="glm-infills"] tbody tr`)) >= 1);
    await screenshot(page, 'glm-1280x800');

    await assertNoSidewaysScrolling(page, 'glm at 1280 px');
    await page.setViewportSize(NARROW);
    await page.waitForTimeout(300);
    await assertNoSidewaysScrolling(page, 'glm at 390 px');
    await screenshot(page, 'glm-390x844');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** Checks the conditional view (LoRA, prefix tuning, causal LM) after a few trained steps. */
async function assertConditionalView(page: Page, objective: string): Promise<void> {
  const view = `.view[data-view="conditional"][data-objective="${objective}"]`;
  const prompt = await count(page, `${view} ol.tokens .token[data-role="prompt"]`);
  const completion = await count(page, `${view} ol.tokens .token[data-role="completion"]`);
  assert.ok(prompt >= 1 && completion >= 1, `${prompt} prompt and ${completion} completion tokens`);
  assert.equal(
    await count(page, `${view} ol.tokens .token[data-role="prompt"][data-in-loss="true"]`),
    0,
    'prompt tokens are never scored',
  );
  assert.ok((await count(page, `${view} ol.tokens .token[data-in-loss="true"]`)) >= 1);
  const parameters = page.locator(`${view} [data-part="parameters"]`);
  const trainable = Number(await parameters.getAttribute('data-trainable'));
  const total = Number(await parameters.getAttribute('data-total'));
  assert.ok(trainable > 0 && trainable <= total, `${trainable} of ${total}`);
  if (objective !== 'causal') assert.ok(trainable < total / 2, 'fine-tuning trains a small share');
  const rows = page.locator(`${view} table[data-kind="completions"] tbody tr`);
  assert.ok((await rows.count()) >= 1);
  assert.equal(await rows.first().locator('td').count(), 4, 'prompt, before, now, expected');
}

test('BERT and GLM start from their shipped checkpoints by default and meet their goals on held-out text', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    for (const objective of ['bert', 'glm']) {
      await page.goto(`${server.origin}/?objective=${objective}`);
      await waitForStatus(page, 'ready');
      assert.equal(await page.locator('#base').inputValue(), 'checkpoint');
      assert.equal(await page.locator('#base-row').isVisible(), true);
      await trainFor(page, 5);
      await page.waitForFunction(
        () => Number(document.getElementById('loss-figure')?.dataset['heldOutPoints']) >= 2,
        undefined,
        { timeout: 120_000 },
      );
      const panel = await heldOutPanel(page);
      assert.match(panel.start, /from the shipped checkpoint \(pre-trained \d+ steps/);
      assert.equal(panel.goals.length, 2);
      assert.ok(
        panel.goals.every((goal) => goal.passed),
        `${objective}: ${JSON.stringify(panel.goals)}`,
      );
      console.log(
        `${objective} from the checkpoint: ${panel.goals.map((goal) => goal.text).join(' | ')}`,
      );
      await screenshot(page, `${objective}-checkpoint-1280x800`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('causal LM: the loss falls and the view shows the row, its loss mask and completions', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    await page.goto(`${server.origin}/?objective=causal`);
    await waitForStatus(page, 'ready');
    await trainFor(page, STEPS);
    await assertLossFell(page, 'causal');
    await assertConditionalView(page, 'causal');
    // Pre-training words, not fine-tuning ones.
    const view = page.locator('.view[data-view="conditional"][data-objective="causal"]');
    assert.match(
      (await view.locator('h3').first().textContent()) ?? '',
      /every next token is a target/,
    );
    assert.doesNotMatch((await view.textContent()) ?? '', /prompt token|repeat the prompt/);
    assert.equal(
      (await heldOutPanel(page)).goals.length,
      1,
      'the causal goal: 0.5 nat below unigram',
    );
    await screenshot(page, 'causal-1280x800');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** The exact completions of the held-out panel's "now" column, e.g. 10 from "10 of 10". */
async function exactNow(page: Page): Promise<number> {
  const { rows } = await heldOutPanel(page);
  return Number(/^(\d+) of 10$/.exec(rows[1]?.[2] ?? '')?.[1] ?? Number.NaN);
}

test('LoRA on the shipped checkpoint learns to reverse held-out prompts, keeps training on request, and prefix tuning reuses the base', async () => {
  const { page, context, problems } = await openPage(NARROW);
  try {
    await page.goto(`${server.origin}/?objective=lora`);
    await waitForStatus(page, 'ready');
    assert.equal(await page.locator('#base-row').isHidden(), false, 'the base choice is offered');
    let panel = await heldOutPanel(page);
    assert.match(panel.start, /shipped causal checkpoint \(pre-trained \d+ steps/);
    assert.equal(panel.rows[1]?.[1], '0 of 10', 'the frozen base reverses no held-out prompt');
    // A whole run: the goal is at least 9 of the 10 held-out prompts reversed exactly.
    await page.click('#start');
    await waitForStatus(page, 'finished', 600_000);
    await assertLossFell(page, 'lora');
    await assertConditionalView(page, 'lora');
    const exact = await exactNow(page);
    console.log(`lora: ${exact} of 10 held-out prompts reversed exactly`);
    assert.ok(exact >= 9, `LoRA reversed ${exact} of 10 held-out prompts`);
    panel = await heldOutPanel(page);
    assert.ok(
      panel.goals.every((goal) => goal.passed),
      JSON.stringify(panel.goals),
    );
    const view = '.view[data-view="conditional"][data-objective="lora"]';
    assert.equal(await count(page, `${view} table[data-kind="completions"] tbody tr`), 10);
    const [done, total] = ((await page.locator('#stat-step').textContent()) ?? '').split(' / ');
    assert.equal(done, total);
    assert.equal(
      await page.locator('#loss-figure').getAttribute('data-x-max'),
      total,
      'the x axis ends at the last step',
    );
    await assertNoSidewaysScrolling(page, 'lora at 390 px');
    await screenshot(page, 'lora-390x844');

    // Keep training: past the schedule, at its final learning rate.
    assert.match(
      (await page.locator('#start').textContent()) ?? '',
      /^Keep training \(\+\d+ steps\)$/,
    );
    await trainFor(page, Number(total) + 3);
    const [, until] = ((await page.locator('#stat-step').textContent()) ?? '').split(' / ');
    assert.ok(Number(until) > Number(total), `training goes on to step ${until}`);
    await page.setViewportSize(WIDE);
    await page.waitForTimeout(300);
    await screenshot(page, 'lora-1280x800');

    // The shipped base is loaded once per backend: prefix tuning starts without pre-training.
    await page.check('input[name="objective"][value="prefix"]');
    await page.waitForSelector('.view[data-objective="prefix"]', { timeout: 120_000 });
    await waitForStatus(page, 'ready');
    assert.equal((await heldOutPanel(page)).rows[1]?.[1], '0 of 10');
    await trainFor(page, PREFIX_STEPS);
    await assertLossFell(page, 'prefix', PREFIX_STEPS);
    await assertConditionalView(page, 'prefix');
    await screenshot(page, 'prefix-1280x800');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a base pre-trained on the page: LoRA reuses the Causal LM just trained, or pre-trains one first', async () => {
  const { page, context, problems } = await openPage(WIDE);
  try {
    await page.goto(`${server.origin}/?objective=causal`);
    await waitForStatus(page, 'ready');
    await trainFor(page, 5);
    const trained = Number(
      ((await page.locator('#stat-step').textContent()) ?? '').split(' / ')[0],
    );
    await page.check('input[name="objective"][value="lora"]');
    await waitForStatus(page, 'ready');
    await page.selectOption('#base', 'scratch');
    await waitForStatus(page, 'ready');
    assert.match(
      (await heldOutPanel(page)).start,
      new RegExp(`a causal model pre-trained ${trained} steps from scratch on this page`),
      'the Causal LM model is reused, not pre-trained again',
    );

    await page.goto(`${server.origin}/?objective=prefix&base=scratch&baseSteps=${BASE_STEPS}`);
    await page.waitForFunction(
      () =>
        /Pre-training the causal base model/.test(
          document.getElementById('status')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60_000 },
    );
    await waitForStatus(page, 'ready');
    assert.match(
      (await heldOutPanel(page)).start,
      new RegExp(`pre-trained ${BASE_STEPS} steps from scratch on this page`),
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
