import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  escapeCell,
  formatNumber,
  humanize,
  renderBenchmarkTables,
  renderResultFile,
} from '../scripts/benchmark-tables.mjs';

test('numbers are grouped when large and cut to 4 significant digits when small', () => {
  assert.equal(formatNumber(12605668.91235469), '12,605,669');
  assert.equal(formatNumber(1.0042493515901276), '1.004');
  assert.equal(formatNumber(0.030245746691871456), '0.03025');
  assert.equal(formatNumber(4204), '4,204');
  assert.equal(formatNumber(Number.NaN), 'NaN');
});

test('cells cannot break the table, open a Vue interpolation or start a formula', () => {
  assert.equal(escapeCell('a | b'), 'a \\| b');
  assert.equal(escapeCell('{{ x }}'), '&#123;&#123; x &#125;&#125;');
  assert.equal(escapeCell('$5 <b>'), '&#36;5 &lt;b&gt;');
});

test('camelCase keys read as words', () => {
  assert.equal(humanize('medianCpuMs'), 'median cpu ms');
  assert.equal(humanize('loraSpeedup'), 'lora speedup');
});

test('an array of records becomes one table with nested scalars as columns and raw samples left out', () => {
  const markdown = renderResultFile('r.json', {
    node: 'v20',
    cases: [
      { variant: 'fused', result: { medianMs: 749.2, timesMs: [790, 749, 744] } },
      { variant: 'naive', result: { medianMs: 11157.4, timesMs: [1, 2, 3] } },
    ],
  });
  assert.match(markdown, /\| node \| v20 \|/);
  assert.match(markdown, /\| variant \| result · median ms \|/);
  assert.match(markdown, /\| fused \| 749 \|/);
  assert.match(markdown, /\| naive \| 11,157 \|/);
  assert.doesNotMatch(markdown, /times ms/);
});

test('a record of records becomes one row per entry', () => {
  const markdown = renderResultFile('r.json', {
    builder: { build: { wall: 12.5, cpu: 21.8 }, baseline: { wall: 6.3, cpu: 10.1 } },
  });
  assert.match(markdown, /\| name \| wall \| cpu \|/);
  assert.match(markdown, /\| build \| 12.5 \| 21.8 \|/);
  assert.match(markdown, /\| baseline \| 6.3 \| 10.1 \|/);
});

test('the page lists every package with results, in the site order, from the files on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-tables-'));
  for (const [name, value] of [
    ['trainer', 1.004],
    ['core', 7.5],
  ]) {
    mkdirSync(join(root, 'packages', name, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(root, 'packages', name, 'bench', 'results', 'results.json'),
      JSON.stringify({ ratio: value }),
    );
  }
  mkdirSync(join(root, 'packages', 'glm'), { recursive: true }); // no results: left out
  const markdown = renderBenchmarkTables(root);
  assert.ok(markdown.indexOf('@lm-objectives/core') < markdown.indexOf('@lm-objectives/trainer'));
  assert.doesNotMatch(markdown, /glm/);
  assert.match(markdown, /\| ratio \| 7.5 \|/);
  assert.match(markdown, /\| ratio \| 1.004 \|/);
});

test('the committed results render without throwing', () => {
  const markdown = renderBenchmarkTables();
  assert.match(markdown, /@lm-objectives\/core/);
});
