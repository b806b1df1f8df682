import type { DemoRunResult, PhaseResult } from './phase-result';

/** Seconds with one decimal, e.g. `'32.4 s'`. */
export function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** An integer with thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `trainable / total (share %)`. */
export function formatParameters(phase: PhaseResult): string {
  const { trainable, total } = phase.parameters;
  return `${formatCount(trainable)} / ${formatCount(total)} (${((100 * trainable) / total).toFixed(1)}%)`;
}

/** Lays out rows as a Markdown table with aligned columns (readable in a terminal and in the README). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/** The columns of the final table. */
export const SUMMARY_HEADER = [
  'objective',
  'initial loss',
  'final loss',
  'ln V',
  'steps',
  'tokens/s',
  'wall time',
  'trainable / total params',
  'check',
] as const;

/** The final table's rows: one per phase. */
export function summaryRows(result: DemoRunResult): string[][] {
  return result.phases.map((phase) => [
    phase.title,
    phase.initialLoss.toFixed(3),
    phase.finalLoss.toFixed(3),
    phase.uniformLoss.toFixed(3),
    String(phase.steps),
    formatCount(phase.tokensPerSecond),
    formatSeconds(phase.trainingMs),
    formatParameters(phase),
    phase.checks.every((check) => check.passed) ? 'pass' : 'FAIL',
  ]);
}

/** The columns of the LoRA vs prefix-tuning comparison. */
export const COMPARISON_HEADER = [
  'method',
  'trainable params',
  'share',
  'initial loss',
  'final loss',
  'training time',
] as const;

/** The comparison's rows: the fine-tuning phases (none unless the run had both). */
export function comparisonRows(result: DemoRunResult): string[][] {
  const phases = result.phases.filter((phase) => phase.id === 'lora' || phase.id === 'prefix');
  if (phases.length < 2) return [];
  return phases.map((phase) => [
    phase.title,
    formatCount(phase.parameters.trainable),
    `${((100 * phase.parameters.trainable) / phase.parameters.total).toFixed(2)}%`,
    phase.initialLoss.toFixed(3),
    phase.finalLoss.toFixed(3),
    formatSeconds(phase.trainingMs),
  ]);
}

/** Every check of every phase, one line each. */
export function formatChecks(result: DemoRunResult): string {
  return result.phases
    .flatMap((phase) =>
      phase.checks.map(
        (check) =>
          `${check.passed ? 'pass' : 'FAIL'}  ${phase.title}: ${check.name} (${check.detail})`,
      ),
    )
    .join('\n');
}

/** The sample predictions of every phase, before (fine-tuning only) and after training. */
export function formatSamples(result: DemoRunResult): string {
  const lines: string[] = [];
  for (const phase of result.phases) {
    lines.push(`${phase.title}`);
    phase.samplesAfter.forEach((sample, index) => {
      lines.push(`  input:    ${sample.input}`);
      const before = phase.samplesBefore[index];
      if (before) lines.push(`  before:   ${before.output}`);
      lines.push(`  ${before ? 'after: ' : 'output:'}   ${sample.output}`);
      lines.push(`  expected: ${sample.expected}`);
    });
  }
  return lines.join('\n');
}

/** The final table as Markdown. */
export function formatSummaryTable(result: DemoRunResult): string {
  return markdownTable(SUMMARY_HEADER, summaryRows(result));
}

/** The LoRA vs prefix comparison as Markdown (empty when the run had not both). */
export function formatFineTuningComparison(result: DemoRunResult): string {
  const rows = comparisonRows(result);
  return rows.length === 0 ? '' : markdownTable(COMPARISON_HEADER, rows);
}
