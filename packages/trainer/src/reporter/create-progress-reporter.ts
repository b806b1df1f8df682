import { checkOptionKeys, checkPositiveInteger } from '@lm-objectives/core';
import { createColors } from 'picocolors';
import type { TrainingProgress, TrainingSummary } from '../trainer/progress-event';

/** The part of a Node writable stream the reporter uses (`process.stderr` by default). */
export interface ReporterStream {
  /** Writes text as is (no newline added). */
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where to write. Default `process.stderr`. */
  stream?: ReporterStream;
  /** Colours on/off. Default: on for a TTY unless `NO_COLOR` is set (or `FORCE_COLOR` forces them). */
  color?: boolean;
  /**
   * On a TTY the status line is redrawn in place on every event. Elsewhere (CI logs, files) one line
   * is printed every this many steps, and on the last step. Default: a tenth of the run (at least 1).
   */
  logEvery?: number;
}

/** A progress callback for `trainer.train({ onProgress })`, plus a closing summary. */
export interface ProgressReporter {
  (progress: TrainingProgress): void;
  /** Ends the status line and prints the summary. */
  done(summary: TrainingSummary): void;
}

function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return '?';
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function colorDefault(stream: ReporterStream): boolean {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process?.env;
  if (environment?.['NO_COLOR']) return false;
  if (environment?.['FORCE_COLOR'] && environment['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

/**
 * A Node terminal reporter for training progress: on a TTY, one status line redrawn in place (bar,
 * step, loss and its parts, learning rate, gradient norm, tokens/s, tensors and memory, ETA); in a
 * log, a plain line every `logEvery` steps. Colours come from `picocolors` (respecting `NO_COLOR`).
 *
 * @example
 * import { createProgressReporter } from '@lm-objectives/trainer/node';
 * const report = createProgressReporter();
 * report.done(await trainer.train({ totalSteps: 1000, nextWindow, onProgress: report }));
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  checkOptionKeys('createProgressReporter', options, ['stream', 'color', 'logEvery']);
  if (options.logEvery !== undefined) {
    checkPositiveInteger(
      { functionName: 'createProgressReporter', argumentName: 'options.logEvery' },
      options.logEvery,
      'pass how many steps apart to print a line, e.g. 100.',
    );
  }
  const stream =
    options.stream ??
    (globalThis as unknown as { process: { stderr: ReporterStream } }).process.stderr;
  const colors = createColors(options.color ?? colorDefault(stream));
  const interactive = stream.isTTY === true;
  let lineOpen = false;
  let tensorsAtFirstStep: number | undefined;

  const describe = (progress: TrainingProgress, bar: boolean): string => {
    const fraction = progress.totalSteps > 0 ? Math.min(1, progress.step / progress.totalSteps) : 1;
    const width = 20;
    const filled = Math.round(fraction * width);
    const parts = Object.entries(progress.parts);
    const partText =
      parts.length > 1
        ? ` (${parts.map(([name, part]) => `${name} ${part.loss.toFixed(3)}`).join(', ')})`
        : '';
    tensorsAtFirstStep ??= progress.numTensors;
    const tensorDrift = progress.numTensors - tensorsAtFirstStep;
    const stepsLeft = progress.totalSteps - progress.step;
    const eta = progress.step > 0 ? (progress.elapsedMs / progress.step) * stepsLeft : Number.NaN;
    const fields = [
      `${colors.bold(`step ${progress.step}/${progress.totalSteps}`)}`,
      `loss ${colors.cyan(progress.loss.toFixed(4))}${partText}`,
      `lr ${progress.learningRate.toExponential(2)}`,
      `|g| ${progress.gradientNorm.toPrecision(3)}${progress.clipped ? colors.yellow(' clipped') : ''}`,
      `${Math.round(progress.tokensPerSecond).toLocaleString('en')} tok/s`,
      `tensors ${progress.memory.numTensors}${tensorDrift === 0 ? '' : colors.red(` (${tensorDrift > 0 ? '+' : ''}${tensorDrift})`)} · ${formatBytes(progress.memory.numBytes)}`,
      `eta ${formatDuration(eta)}`,
    ];
    if (progress.skipped) fields.push(colors.red('skipped'));
    const prefix = bar
      ? `${colors.green('█'.repeat(filled))}${colors.dim('░'.repeat(width - filled))} ${String(Math.round(fraction * 100)).padStart(3)}% `
      : '';
    return prefix + fields.join('  ');
  };

  const reporter = ((progress: TrainingProgress) => {
    if (interactive) {
      let line = describe(progress, true);
      const columns = stream.columns;
      // Redraw in place: carriage return, clear the line, write (cut to the terminal width).
      if (columns && stripAnsi(line).length > columns - 1) line = describe(progress, false);
      stream.write(`\r\u001b[2K${line}`);
      lineOpen = true;
      return;
    }
    const every = options.logEvery ?? Math.max(1, Math.round(progress.totalSteps / 10));
    if (
      progress.step % every === 0 ||
      progress.step === progress.totalSteps ||
      progress.step === 1
    ) {
      stream.write(`${describe(progress, false)}\n`);
    }
  }) as ProgressReporter;

  reporter.done = (summary: TrainingSummary) => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
    const last = summary.last;
    stream.write(
      `${colors.green('done')}: ${summary.stepsRun} steps in ${formatDuration(summary.elapsedMs)} (step ${summary.step})${last ? `, loss ${last.loss.toFixed(4)}` : ''}, ${Math.round(summary.tokensPerSecond).toLocaleString('en')} tokens/s\n`,
    );
  };
  return reporter;
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
