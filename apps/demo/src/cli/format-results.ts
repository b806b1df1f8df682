import { type DemoRunResult, type PhaseResult, startText } from './phase-result';

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

/** A loss before → after training, e.g. `'8.018 → 5.912'`. */
export function formatLossChange(before: number, after: number): string {
  return `${before.toFixed(3)} → ${after.toFixed(3)}`;
}

/** A share in percent with one decimal, or `'—'` when absent. */
export function formatPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${(100 * value).toFixed(1)}%`;
}

/** The columns of the pre-training table (every number on held-out text). */
export const PRETRAINING_HEADER = [
  'objective',
  'starts',
  'steps',
  'held-out loss',
  'unigram',
  'ln V',
  'below unigram',
  'accuracy',
  'most-frequent rate',
  'trainable / total params',
  'time',
  'check',
] as const;

function passText(phase: PhaseResult): string {
  return phase.checks.every((check) => check.passed) ? 'pass' : 'FAIL';
}

/** The pre-training table's rows: BERT, GLM and the causal model, when the run had them. */
export function pretrainingRows(result: DemoRunResult): string[][] {
  return result.phases
    .filter((phase) => !isFineTuning(phase))
    .map((phase) => [
      phase.title,
      startText(phase.start),
      String(phase.steps),
      formatLossChange(phase.before.tokenLoss, phase.after.tokenLoss),
      phase.baseline.unigramLoss.toFixed(3),
      phase.baseline.uniformLoss.toFixed(3),
      (phase.baseline.unigramLoss - phase.after.tokenLoss).toFixed(3),
      formatPercent(phase.after.accuracy),
      formatPercent(phase.baseline.mostFrequentRate),
      formatParameters(phase),
      formatSeconds(phase.trainingMs),
      passText(phase),
    ]);
}

/** The columns of the fine-tuning table (held-out prompts of the reversal task). */
export const FINE_TUNING_HEADER = [
  'method',
  'base',
  'steps',
  'trainable params',
  'held-out loss',
  'exact before',
  'exact after',
  'time',
  'check',
] as const;

/** The fine-tuning table's rows: LoRA and prefix tuning, when the run had them. */
export function fineTuningRows(result: DemoRunResult): string[][] {
  return result.phases
    .filter(isFineTuning)
    .map((phase) => [
      phase.title,
      startText(phase.start).replace('base: ', ''),
      String(phase.steps),
      `${formatCount(phase.parameters.trainable)} (${((100 * phase.parameters.trainable) / phase.parameters.total).toFixed(2)}%)`,
      formatLossChange(phase.before.loss, phase.after.loss),
      exactText(phase.before),
      exactText(phase.after),
      formatSeconds(phase.trainingMs),
      passText(phase),
    ]);
}

function exactText(evaluation: PhaseResult['before']): string {
  const matches = evaluation.exactMatches;
  return matches ? `${matches.matched} / ${matches.total}` : '—';
}

function isFineTuning(phase: PhaseResult): boolean {
  return phase.id === 'lora' || phase.id === 'prefix';
}

/**
 * Notes under the tables: what each accuracy counts, and BERT's next-sentence accuracy (not part
 * of the masked-LM numbers).
 */
export function formatNotes(result: DemoRunResult): string {
  const notes: string[] = [];
  const has = (id: string) => result.phases.some((phase) => phase.id === id);
  if (has('bert') || has('glm') || has('causal')) {
    notes.push(
      "Accuracy: top-1 on BERT's masked tokens, on the tokens of GLM's blanks ([eop] left out), on the causal model's next tokens; the most-frequent rate is always guessing the most frequent training target on the same tokens.",
    );
  }
  const bert = result.phases.find((phase) => phase.id === 'bert');
  if (bert?.after.nextSentenceAccuracy !== undefined) {
    notes.push(
      `BERT's next-sentence accuracy on the held-out pairs: ${formatPercent(bert.before.nextSentenceAccuracy)} → ${formatPercent(bert.after.nextSentenceAccuracy)}.`,
    );
  }
  return notes.join('\n');
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

/** The pre-training table as Markdown (empty when the run had no pre-training phase). */
export function formatPretrainingTable(result: DemoRunResult): string {
  const rows = pretrainingRows(result);
  return rows.length === 0 ? '' : markdownTable(PRETRAINING_HEADER, rows);
}

/** The fine-tuning table as Markdown (empty when the run had no fine-tuning phase). */
export function formatFineTuningTable(result: DemoRunResult): string {
  const rows = fineTuningRows(result);
  return rows.length === 0 ? '' : markdownTable(FINE_TUNING_HEADER, rows);
}
