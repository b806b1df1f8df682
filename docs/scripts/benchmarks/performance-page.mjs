// Turns the committed benchmark results into the Performance page's generated parts: the summary
// of headline ratios, the charts (SVG), the machine, the commands that reproduce them, the
// WebGPU / threads section, and the list of raw result files for the Benchmark data page.
import { findResultFiles, reproduceCommand } from './result-files.mjs';
import { schemaOf } from './schemas/index.mjs';

/** Text safe inside a Markdown table cell rendered by VitePress (no pipes, no Vue interpolation). */
export function escapeCell(content) {
  return String(content)
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/\{\{/g, '&#123;&#123;');
}

/** Text safe inside a double-quoted HTML attribute. */
function escapeAttribute(content) {
  return String(content).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function table(header, rows) {
  const lineOf = (cells) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [lineOf(header), lineOf(header.map(() => '---')), ...rows.map(lineOf)].join('\n');
}

/** A figure of the site (the `DocFigure` component), for a generated chart. */
export function figureMarkdown(chart) {
  const name = chart.file.replace(/\.svg$/, '');
  return `<DocFigure src="${escapeAttribute(name)}" alt="${escapeAttribute(chart.alt)}">\n\n${chart.caption}\n\n</DocFigure>`;
}

/** A result file's name without its folder and `.json`. */
const baseName = (file) =>
  file.relativePath
    .split('/')
    .pop()
    .replace(/\.json$/, '');

/** Each result file with its schema (or `undefined`) and what the schema makes of it. */
export function readResults(root) {
  const files = findResultFiles(root).map((file) => ({ ...file, schema: schemaOf(file.data) }));
  const filesPerSchema = new Map();
  for (const { schema } of files) {
    if (schema) filesPerSchema.set(schema, (filesPerSchema.get(schema) ?? 0) + 1);
  }
  const chartFiles = new Set();
  return files.map((file) => {
    const { schema } = file;
    // Several result files of one format (runs on other machines or at other times) would give
    // rows and charts alike: each then names its file.
    const shared = (filesPerSchema.get(schema) ?? 0) > 1;
    const charts = (schema?.charts ? schema.charts(file.data) : []).map((chart) => {
      const name = chartFiles.has(chart.file)
        ? chart.file.replace(/\.svg$/, `-${baseName(file)}.svg`)
        : chart.file;
      chartFiles.add(name);
      const caption = shared
        ? `${chart.caption.replace(/\.$/, '')} (\`${baseName(file)}.json\`).`
        : chart.caption;
      return { ...chart, file: name, caption };
    });
    const headlines = (schema ? schema.headlines(file.data) : []).map((row) =>
      shared
        ? { ...row, setting: [row.setting, `${baseName(file)}.json`].filter(Boolean).join(' · ') }
        : row,
    );
    return {
      ...file,
      headlines,
      charts,
      machine: schema ? schema.machine(file.data) : undefined,
      title: schema && shared ? `${schema.title} (\`${baseName(file)}.json\`)` : schema?.title,
    };
  });
}

const isBackendResult = (result) => result.schema?.section === 'backends';

/** The summary's rows: the headline ones (`headline: true`) or the others. */
function summaryRows(results, headline) {
  return results
    .filter((result) => !isBackendResult(result))
    .flatMap((result) => result.headlines)
    .filter((row) => Boolean(row.headline) === headline)
    .map(comparisonRow);
}

/** A summary row: what was compared, with its setting in small print under it, and the result. */
function comparisonRow(row) {
  return [`${row.comparison}<br><small>${row.setting}</small>`, row.result];
}

function summary(results) {
  const rows = summaryRows(results, true);
  if (rows.length === 0) throw new Error('performance-page: no result file gave a headline');
  return table(['comparison', 'measured'], rows);
}

function details(results) {
  return table(['comparison', 'measured'], summaryRows(results, false));
}

function charts(results) {
  return results
    .filter((result) => !isBackendResult(result))
    .flatMap((result) => result.charts)
    .map(figureMarkdown)
    .join('\n\n');
}

function backends(results) {
  const measured = results.filter(isBackendResult);
  if (measured.length === 0) {
    return [
      'No run on multi-threaded wasm, WebGPU or WebGL is committed yet: every figure on this page is',
      "single-threaded wasm in Node. A results file of such runs committed under a package's",
      '`bench/results/` folder is summarised here when the site is built.',
    ].join('\n');
  }
  const rows = measured.flatMap((result) => result.headlines.map(comparisonRow));
  return [
    rows.length > 0 ? table(['comparison', 'measured'], rows) : '',
    ...measured.flatMap((result) => result.charts.map(figureMarkdown)),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function machines(results) {
  const byMachine = new Map();
  for (const result of results) {
    // A schema without a machine description (it was not recorded) is left out of the table.
    if (!result.machine) continue;
    if (!byMachine.has(result.machine)) byMachine.set(result.machine, []);
    byMachine.get(result.machine).push(result.title);
  }
  return table(
    ['results', 'machine'],
    [...byMachine].map(([machine, titles]) => [titles.join(', '), machine]),
  );
}

function reproduce(results) {
  return table(
    ['results', 'command (from the repository root)'],
    results
      .filter((result) => result.schema)
      .map((result) => [
        result.schema.title,
        reproduceCommand(result)
          ? `\`${reproduceCommand(result)}\``
          : `see \`${result.relativePath}\``,
      ]),
  );
}

/** The site path of a result file's copy (`/benchmarks/core/linear.json`). */
export function publishedPath(result) {
  return `/benchmarks/${result.folder}/${result.relativePath.split('/').pop()}`;
}

function dataList(results) {
  return table(
    ['package', 'results', 'file', 'reproduce'],
    results.map((result) => [
      `\`${result.packageName}\``,
      result.schema?.title ?? 'listed only (no summary)',
      `[${result.relativePath.split('/').pop()}](${publishedPath(result)})`,
      reproduceCommand(result) ? `\`${reproduceCommand(result)}\`` : '—',
    ]),
  );
}

/** Every generated part: Markdown fragments by name, the chart files, and the JSON copies. */
export function renderPerformancePage(root) {
  const results = readResults(root);
  return {
    fragments: {
      'performance-summary.md': `${summary(results)}\n`,
      'performance-details.md': `${details(results)}\n`,
      'performance-charts.md': `${charts(results)}\n`,
      'performance-backends.md': `${backends(results)}\n`,
      'performance-machine.md': `${machines(results)}\n`,
      'performance-reproduce.md': `${reproduce(results)}\n`,
      'benchmark-data.md': `${dataList(results)}\n`,
    },
    charts: results.flatMap((result) => result.charts),
    copies: results.map((result) => ({ from: result.path, to: publishedPath(result) })),
  };
}
