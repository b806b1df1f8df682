import {
  FINE_TUNING_HEADER,
  fineTuningRows,
  formatChecks,
  formatNotes,
  formatSeconds,
  PRETRAINING_HEADER,
  pretrainingRows,
} from './format-results';
import { type DemoRunResult, type PhaseResult, startText } from './phase-result';
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
  const { baseline, before, after } = phase;
  const fineTuning = phase.id === 'lora' || phase.id === 'prefix';
  const references = [
    { value: baseline.uniformLoss, label: `ln V = ${baseline.uniformLoss.toFixed(2)}` },
    ...(fineTuning
      ? []
      : [{ value: baseline.unigramLoss, label: `unigram = ${baseline.unigramLoss.toFixed(2)}` }]),
  ];
  return `<section><h2>${escapeHtml(phase.title)}</h2><p>${escapeHtml(`${startText(phase.start)}. ${phase.description}`)}</p>
${svgLossCurve(phase.trainingLosses, {
  references,
  evaluation: { initial: before.loss, final: after.loss },
})}
<p class="legend">Blue: training loss per step. Red dots: held-out loss before (${before.loss.toFixed(3)}) and after (${after.loss.toFixed(3)}) training. Dashed: uniform guessing${fineTuning ? '' : " and the unigram baseline (per scored token; BERT's curve adds next-sentence prediction)"}.</p>
<h3>Sample predictions</h3><dl>${samples.join('')}</dl></section>`;
}

/**
 * The run as one self-contained HTML page: the pre-training and fine-tuning tables, the checks,
 * and per phase an inline SVG loss curve and the sample predictions. No scripts, no
 * external assets, so the file opens anywhere.
 */
export function renderHtmlReport(result: DemoRunResult, generatedAt: Date): string {
  const pretraining = pretrainingRows(result);
  const fineTuning = fineTuningRows(result);
  const tables = [
    pretraining.length > 0
      ? `<h2>Pre-training, on held-out text</h2>${tableHtml(PRETRAINING_HEADER, pretraining)}<p>${escapeHtml(formatNotes(result))}</p>`
      : '',
    fineTuning.length > 0
      ? `<h2>Fine-tuning: the prompt's words in reverse order, on held-out prompts</h2>${tableHtml(FINE_TUNING_HEADER, fineTuning)}`
      : '',
  ].join('\n');
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
${tables}
<h2>Checks</h2><pre>${escapeHtml(formatChecks(result))}</pre>
${result.phases.map(phaseSection).join('\n')}
</body></html>
`;
}
