// The Performance page is generated from the committed benchmark results: these tests check the
// summary's arithmetic on small fixtures, the charts, the pick-up of new result files, and that the
// committed results render.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lineChart, logTicks } from '../scripts/benchmarks/line-chart.mjs';
import { escapeCell, renderPerformancePage } from '../scripts/benchmarks/performance-page.mjs';
import { findResultFiles } from '../scripts/benchmarks/result-files.mjs';
import { backendRunsSchema } from '../scripts/benchmarks/schemas/backend-runs.mjs';
import { schemaOf } from '../scripts/benchmarks/schemas/index.mjs';
import { linearCrossEntropySchema } from '../scripts/benchmarks/schemas/linear-cross-entropy.mjs';

const MIB = 2 ** 20;

/** A loss-layer result file with the given cases `[variant, N, V, cpu ms | null, peak MiB]`. */
function lossResults(cases) {
  return {
    benchmark: 'linear cross-entropy: one forward + backward',
    cpus: '2 × Test CPU',
    node: 'v20',
    tfjs: '4.22.0',
    backend: 'wasm',
    hiddenSize: 768,
    cases: cases.map(([variant, positions, vocabularySize, cpuMs, peakMib]) => ({
      variant,
      positions,
      vocabularySize,
      result:
        cpuMs === null
          ? { status: 'out of memory' }
          : { status: 'ok', medianCpuMs: cpuMs, medianMs: cpuMs, peakTensorBytes: peakMib * MIB },
    })),
  };
}

const LOSS_FIXTURE = lossResults([
  ['naive', 1024, 32000, 60_000, 1500],
  ['crossEntropy', 1024, 32000, 57_000, 750],
  ['linearCrossEntropy', 1024, 32000, 7_500, 300],
  ['floor', 1024, 32000, 7_500, 125],
  ['naive', 2048, 32000, 120_000, 3000],
  ['linearCrossEntropy', 2048, 32000, 15_000, 310],
  ['naive', 2048, 128256, null],
  ['linearCrossEntropy', 2048, 128256, 55_000, 1200],
]);

test('the loss-layer headlines are the ratios of the key case, N = 1024 and V = 32,000', () => {
  assert.equal(schemaOf(LOSS_FIXTURE), linearCrossEntropySchema);
  const rows = linearCrossEntropySchema.headlines(LOSS_FIXTURE);
  const byComparison = (start) => rows.find((row) => row.comparison.startsWith(start));
  assert.match(
    byComparison('`linearCrossEntropy` (fused) vs naive autodiff: time').result,
    /\*\*8\.0× faster\*\* \(7\.5 s vs 60 s\)/,
  );
  assert.match(
    byComparison('`linearCrossEntropy` vs naive autodiff: peak').result,
    /\*\*5\.0× less\*\* \(300 MiB vs 1,500 MiB\)/,
  );
  assert.match(byComparison('`linearCrossEntropy` vs its floor').result, /^1\.0× the floor/);
  assert.match(byComparison('largest vocabulary').result, /fused: V = 128,256; naive: V = 32,000/);
});

test('the charts draw one line per variant and a cross where a run ran out of memory', () => {
  const charts = linearCrossEntropySchema.charts(LOSS_FIXTURE);
  assert.deepEqual(
    charts.map((chart) => chart.file),
    [
      'perf-loss-time-by-vocabulary.svg',
      'perf-loss-memory-by-vocabulary.svg',
      'perf-loss-time-by-positions.svg',
      'perf-loss-memory-by-positions.svg',
    ],
  );
  for (const chart of charts) {
    assert.ok(chart.alt.length > 40 && chart.caption.length > 20);
    assert.match(chart.svg, /^<svg /);
  }
  assert.deepEqual(logTicks(0.8, 60), [1, 2, 5, 10, 20, 50]);
  const svg = lineChart({
    title: 't',
    description: 'd',
    xLabel: 'x',
    yLabel: 'y',
    xValues: [1, 2],
    series: [
      {
        name: 'a',
        color: '#000',
        points: [
          { x: 1, y: 1 },
          { x: 2, y: undefined },
        ],
      },
    ],
  });
  assert.match(svg, /out of memory/);
});

test('browser runs on several backends are summarised against single-threaded wasm', () => {
  const run = (backend, threads, tokensPerSecond) => ({
    request: { task: 'bert', backend, threads, size: { name: 'large' } },
    backend,
    threads,
    adapter: 'test adapter',
    emulated: false,
    tokensPerSecond,
    stepMilliseconds: 1000 / tokensPerSecond,
  });
  const data = {
    environment: { userAgent: 'Chrome', hardwareConcurrency: 4 },
    results: [run('wasm', 1, 1000), run('wasm', 4, 2500), run('webgpu', undefined, 4000)],
  };
  assert.equal(schemaOf(data), backendRunsSchema);
  const rows = backendRunsSchema.headlines(data);
  assert.deepEqual(
    rows.map((row) => [row.comparison, row.result.split(' ')[0]]),
    [
      ['wasm, 4 threads vs wasm on one thread', '2.5×'],
      ['WebGPU vs wasm on one thread', '4.0×'],
    ],
  );
  assert.match(backendRunsSchema.charts(data)[0].svg, /WebGPU/);
});

test("the backend runner's and the chunk-size runner's files land in the WebGPU and threads section", () => {
  const root = mkdtempSync(join(tmpdir(), 'performance-backends-'));
  const write = (file, data) => {
    mkdirSync(join(root, 'apps', 'demo', 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'apps', 'demo', 'bench', 'results', file), JSON.stringify(data));
  };
  write('loss.json', LOSS_FIXTURE);
  const run = (backend, threads, tokensPerSecond) => ({
    request: { task: 'causal', backend, threads, size: { name: 'demo' } },
    backend,
    threads,
    adapter: 'SwiftShader',
    emulated: backend !== 'wasm',
    tokensPerSecond,
  });
  const machine = { name: 'm', cpuModel: 'Test CPU', logicalCores: 2, browser: 'Chromium 1' };
  for (const name of ['a', 'b']) {
    write(`backends-${name}.json`, {
      benchmark: 'backends',
      machine,
      results: [run('wasm', 1, 100), run('wasm', 2, 180)],
    });
  }
  write('chunk-size-a.json', {
    benchmark: 'linear-cross-entropy-chunk-size',
    machine,
    timing: { rows: 512, hidden: 256, vocabulary: 8000 },
    results: [{ backend: 'webgpu', milliseconds: { 64: 90, 128: 120, 256: 60 } }],
  });
  const page = renderPerformancePage(root);
  const backends = page.fragments['performance-backends.md'];
  assert.match(backends, /wasm, 2 threads vs wasm on one thread.*\| 1\.8× the tokens per second/);
  assert.match(
    backends,
    /WebGPU: fastest chunk size vs the default 128.*\| 256 rows, 2\.0× faster \(60 ms vs 120 ms\)/,
  );
  // Two runs of one format: each row, caption and machine names its file.
  assert.match(backends, /causal · demo · backends-a\.json<\/small>/);
  assert.match(backends, /causal · demo · backends-b\.json<\/small>/);
  assert.match(page.fragments['performance-machine.md'], /\(`backends-b\.json`\)/);
  assert.deepEqual(
    page.charts.map((chart) => chart.file).filter((file) => !file.startsWith('perf-loss')),
    ['perf-backends.svg', 'perf-backends-backends-b.svg', 'perf-chunk-size-by-backend.svg'],
  );
  assert.match(
    page.fragments['performance-machine.md'],
    /2 logical cores × Test CPU; Chromium 1; SwiftShader/,
  );
  assert.doesNotMatch(page.fragments['performance-summary.md'], /threads/);
});

test('result files anywhere under <area>/<package>/bench/results are picked up', () => {
  const root = mkdtempSync(join(tmpdir(), 'performance-page-'));
  const write = (folder, file, data, manifest) => {
    mkdirSync(join(root, folder, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, folder, 'bench', 'results', file), JSON.stringify(data));
    writeFileSync(join(root, folder, 'package.json'), JSON.stringify(manifest));
  };
  write('packages/core', 'loss.json', LOSS_FIXTURE, { name: '@x/core', scripts: { bench: 'b' } });
  write('apps/backend-tests', 'backends.json', [], { name: '@x/backend-tests' });
  const files = findResultFiles(root);
  assert.deepEqual(
    files.map((file) => file.relativePath),
    ['packages/core/bench/results/loss.json', 'apps/backend-tests/bench/results/backends.json'],
  );
  const page = renderPerformancePage(root);
  assert.match(page.fragments['performance-summary.md'], /8\.0× faster/);
  assert.match(page.fragments['performance-reproduce.md'], /pnpm --filter @x\/core bench/);
  assert.match(page.fragments['performance-backends.md'], /No run on multi-threaded wasm/);
  assert.match(
    page.fragments['benchmark-data.md'],
    /\[backends\.json\]\(\/benchmarks\/backend-tests\/backends\.json\) \| — \|/,
  );
  assert.deepEqual(
    page.copies.map((copy) => copy.to),
    ['/benchmarks/core/loss.json', '/benchmarks/backend-tests/backends.json'],
  );
});

test('table cells cannot break the table or open a Vue interpolation', () => {
  assert.equal(escapeCell('a | b {{ c }}'), 'a \\| b &#123;&#123; c }}');
});

test('the committed results render, each with its summary', () => {
  const page = renderPerformancePage();
  assert.match(page.fragments['performance-summary.md'], /linearCrossEntropy/);
  assert.ok(page.charts.length >= 4);
});
