import {
  COMPARISON_HEADER,
  comparisonRows,
  formatChecks,
  formatSeconds,
  SUMMARY_HEADER,
  summaryRows,
} from './format-results';
import type { DemoRunResult, PhaseResult } from './phase-result';
import { svgLossCurve } from './svg-loss-curve';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (tag: string, row: readonly string[]) =>
    `<tr>${row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  return `<table><thead>${cells('th', header)}</thead><tbody>${rows.map((row) => cells('td', row)).join('')}</tbody></table>`;
}

function phaseSection(phase: PhaseResult): string {
  const samples = phase.samplesAfter.map((sample, index) => {
    const before = phase.samplesBefore[index];
    return [
      `<dt>${escapeHtml(sample.input)}</dt>`,
      before ? `<dd><b>before</b> ${escapeHtml(before.output)}</dd>` : '',
      `<dd><b>${before ? 'after' : 'output'}</b> ${escapeHtml(sample.output)}</dd>`,
      `<dd><b>expected</b> ${escapeHtml(sample.expected)}</dd>`,
    ].join('');
  });
  return `<section><h2>${escapeHtml(phase.title)}</h2><p>${escapeHtml(phase.description)}</p>
${svgLossCurve(phase.trainingLosses, {
  reference: { value: phase.uniformLoss, label: `ln V = ${phase.uniformLoss.toFixed(2)}` },
  evaluation: { initial: phase.initialLoss, final: phase.finalLoss },
})}
<p class="legend">Blue: training loss per step. Red dots: evaluation loss before (${phase.initialLoss.toFixed(3)}) and after (${phase.finalLoss.toFixed(3)}) training. Dashed: uniform guessing.</p>
<h3>Sample predictions</h3><dl>${samples.join('')}</dl></section>`;
}

/**
 * The run as one self-contained HTML page: the final table, the checks, the LoRA vs prefix
 * comparison, and per phase an inline SVG loss curve and the sample predictions. No scripts, no
 * external assets, so the file opens anywhere.
 */
export function renderHtmlReport(result: DemoRunResult, generatedAt: Date): string {
  const summary = tableHtml(SUMMARY_HEADER, summaryRows(result));
  const fineTuning = comparisonRows(result);
  const comparison =
    fineTuning.length > 0
      ? `<h2>LoRA vs prefix tuning</h2>${tableHtml(COMPARISON_HEADER, fineTuning)}`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lm-objectives demo report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}
dt{margin-top:.8em;font-family:monospace}dd{font-family:monospace;margin-left:1.5em}.legend{color:#555;font-size:12px}
</style></head><body>
<h1>lm-objectives demo report</h1>
<p>Backend <b>${escapeHtml(result.backend)}</b>, seed ${result.seed}, total ${formatSeconds(result.wallMs)}, generated ${escapeHtml(generatedAt.toISOString())}. Corpus: State of the Union addresses 1989–1998 (public domain).</p>
${summary}
<h2>Checks</h2><pre>${escapeHtml(formatChecks(result))}</pre>
${comparison}
${result.phases.map(phaseSection).join('\n')}
</body></html>
`;
}
