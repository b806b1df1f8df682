// Turns the committed benchmark results (`packages/*/bench/results/*.json`) into Markdown tables for
// the Performance page, at build time, so that the page never drifts from the measured numbers.
// The result files have one schema per package; the renderer is generic: arrays of records become
// tables, records of scalars become two-column tables, records of records become one table.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(docsRoot, '..');

/** Packages in the order the site presents them; others follow alphabetically. */
const PACKAGE_ORDER = ['core', 'bert', 'glm', 'lora', 'prefix', 'models', 'trainer'];

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value) =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isNumberList = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'number');
/** Lists of numbers short enough to print inline (load averages, shapes); longer ones are raw samples. */
const isShortNumberList = (value) => isNumberList(value) && value.length <= 4;

/** A number as a reader wants it: integers and large values grouped, small ones to 4 significant digits. */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 100) {
    return Math.round(value).toLocaleString('en-US');
  }
  return String(Number(value.toPrecision(4)));
}

/** Text safe inside a Markdown table cell rendered by VitePress (Vue templates, MathJax, pipes). */
export function escapeCell(text) {
  return String(text)
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;')
    .replace(/\$/g, '&#36;')
    .replace(/\|/g, '\\|');
}

function formatValue(value) {
  if (typeof value === 'number') return formatNumber(value);
  if (isShortNumberList(value)) return value.map(formatNumber).join(', ');
  if (value === null || value === undefined) return '—';
  return escapeCell(value);
}

/** Splits camelCase keys into words for headings and column names (`medianCpuMs` → `median cpu ms`). */
export function humanize(key) {
  return String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The printable columns of one record: scalars, and scalars one record deep (`result.medianMs`). */
function flattenRecord(record) {
  const cells = new Map();
  // Lists of raw samples (`timesMs`) are left out: the medians beside them are the figures to read.
  for (const [key, value] of Object.entries(record)) {
    if (isScalar(value)) {
      cells.set(key, value);
    } else if (isRecord(value)) {
      for (const [innerKey, innerValue] of Object.entries(value)) {
        if (isScalar(innerValue)) {
          cells.set(`${key} · ${innerKey}`, innerValue);
        }
      }
    }
  }
  return cells;
}

function recordsTable(records) {
  const flattened = records.map(flattenRecord);
  const columns = [];
  for (const cells of flattened) {
    for (const key of cells.keys()) if (!columns.includes(key)) columns.push(key);
  }
  return table(
    columns.map((column) => escapeCell(humanize(column))),
    flattened.map((cells) => columns.map((column) => formatValue(cells.get(column)))),
  );
}

function keyValueTable(entries) {
  return table(
    ['measure', 'value'],
    entries.map(([key, value]) => [escapeCell(humanize(key)), formatValue(value)]),
  );
}

/** Markdown for one value found under `key`, with headings `depth` deep. */
function renderSection(key, value, depth) {
  const heading = `${'#'.repeat(Math.min(depth, 6))} ${escapeCell(humanize(key))}`;
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
    return `${heading}\n\n${recordsTable(value)}\n`;
  }
  if (!isRecord(value)) return '';
  const entries = Object.entries(value);
  const scalars = entries.filter(([, inner]) => isScalar(inner) || isShortNumberList(inner));
  const records = entries.filter(([, inner]) => isRecord(inner));
  const recordsOfScalars = records.filter(([, inner]) =>
    Object.values(inner).every((leaf) => isScalar(leaf) || isShortNumberList(leaf)),
  );
  const parts = [heading, ''];
  if (scalars.length > 0) parts.push(keyValueTable(scalars), '');
  if (recordsOfScalars.length > 0 && recordsOfScalars.length === records.length) {
    // Records of records (`{ variantName: { wall, cpu } }`): one row per variant.
    parts.push(recordsTable(records.map(([name, inner]) => ({ name, ...inner }))), '');
  } else {
    for (const [innerKey, inner] of entries) {
      if (isScalar(inner) || isShortNumberList(inner)) continue;
      const section = renderSection(innerKey, inner, depth + 1);
      if (section) parts.push(section);
    }
  }
  return parts.length > 2 ? parts.join('\n') : '';
}

/** Markdown for one result file: its run conditions, then one section per measured group. */
export function renderResultFile(title, data, depth = 3) {
  const parts = [`${'#'.repeat(depth)} ${escapeCell(title)}`, ''];
  if (!isRecord(data)) throw new Error(`benchmark-tables: ${title} is not a JSON object`);
  const scalars = Object.entries(data).filter(
    ([, value]) => isScalar(value) || isShortNumberList(value),
  );
  if (scalars.length > 0) parts.push(keyValueTable(scalars), '');
  for (const [key, value] of Object.entries(data)) {
    if (isScalar(value) || isShortNumberList(value)) continue;
    const section = renderSection(key, value, depth + 1);
    if (section) parts.push(section);
  }
  return parts.join('\n');
}

/** Every `packages/<name>/bench/results/*.json`, in the site's package order. */
export function findResultFiles(root = repositoryRoot) {
  const packagesFolder = join(root, 'packages');
  const names = readdirSync(packagesFolder).sort((a, b) => {
    const rank = (name) => (PACKAGE_ORDER.includes(name) ? PACKAGE_ORDER.indexOf(name) : 100);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  const files = [];
  for (const name of names) {
    const folder = join(packagesFolder, name, 'bench', 'results');
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)
      .filter((entry) => entry.endsWith('.json'))
      .sort()) {
      files.push({ packageName: name, path: join(folder, file) });
    }
  }
  return files;
}

/** The whole generated page fragment. */
export function renderBenchmarkTables(root = repositoryRoot) {
  const files = findResultFiles(root);
  if (files.length === 0)
    throw new Error('benchmark-tables: no packages/*/bench/results/*.json found');
  const sections = [];
  let currentPackage = '';
  for (const { packageName, path } of files) {
    if (packageName !== currentPackage) {
      sections.push(`## \`@lm-objectives/${packageName}\`\n`);
      currentPackage = packageName;
    }
    const data = JSON.parse(readFileSync(path, 'utf8'));
    sections.push(renderResultFile(relative(root, path).replace(/\\/g, '/'), data));
  }
  return `${sections.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = join(docsRoot, '.generated', 'benchmarks.md');
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, renderBenchmarkTables());
  console.log(`benchmark-tables: wrote ${relative(docsRoot, output)}`);
}
