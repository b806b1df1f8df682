import { describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../trainer/progress-event';
import { createProgressReporter, type ReporterStream } from './create-progress-reporter';

function progress(step: number, overrides: Partial<TrainingProgress> = {}): TrainingProgress {
  return {
    step,
    totalSteps: 10,
    loss: 2.5 - step * 0.1,
    parts: {
      maskedLm: { loss: 2 - step * 0.1, sum: 20, count: 10 },
      nextSentence: { loss: 0.5, sum: 1, count: 2 },
    },
    metrics: {},
    learningRate: 3e-4,
    gradientNorm: 1.234,
    clipped: step === 2,
    skipped: false,
    microBatches: 1,
    tokens: 128,
    numTensors: 40,
    elapsedMs: step * 1000,
    tokensPerSecond: 1234.4,
    memory: { numTensors: 40, numBytes: 3 * 1024 * 1024 },
    ...overrides,
  };
}

function recorder(isTTY: boolean): ReporterStream & { output: string } {
  return {
    isTTY,
    columns: 300,
    output: '',
    write(text: string) {
      this.output += text;
    },
  };
}

describe('createProgressReporter', () => {
  it('redraws one status line in place on a terminal, then ends it with a summary', () => {
    const stream = recorder(true);
    const report = createProgressReporter({ stream, color: false });
    report(progress(1));
    report(progress(2));
    report.done({
      step: 10,
      stepsRun: 10,
      last: progress(10),
      elapsedMs: 61_000,
      tokensPerSecond: 1280,
    });
    const frames = stream.output.split('\r\u001b[2K').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toBe(
      '██░░░░░░░░░░░░░░░░░░  10% step 1/10  loss 2.4000 (maskedLm 1.900, nextSentence 0.500)  lr 3.00e-4  |g| 1.23  1,234 tok/s  tensors 40 · 3.0 MB  eta 9s',
    );
    expect(frames[1]).toMatch(/^████░{16} {2}20% step 2\/10 .* \|g\| 1\.23 clipped /);
    expect(
      stream.output.endsWith('\ndone: 10 steps in 1m01s (step 10), loss 1.5000, 1,280 tokens/s\n'),
    ).toBe(true);
  });

  it('prints plain lines every logEvery steps in a log, and flags tensor growth', () => {
    const stream = recorder(false);
    const report = createProgressReporter({ stream, logEvery: 5, color: false });
    for (let step = 1; step <= 10; step++) {
      report(
        progress(
          step,
          step === 10 ? { numTensors: 43, memory: { numTensors: 43, numBytes: 512 } } : {},
        ),
      );
    }
    const lines = stream.output.trimEnd().split('\n');
    expect(lines.map((line) => line.split('  ')[0])).toEqual([
      'step 1/10',
      'step 5/10',
      'step 10/10',
    ]);
    expect(lines[2]).toContain('tensors 43 (+3) · 512 B');
    expect(stream.output).not.toContain('\r');
  });

  it('colours only when asked (or on a TTY without NO_COLOR)', () => {
    const plain = recorder(false);
    createProgressReporter({ stream: plain, logEvery: 1 })(progress(1));
    expect(plain.output).not.toContain('\u001b[');
    const coloured = recorder(false);
    createProgressReporter({ stream: coloured, logEvery: 1, color: true })(progress(1));
    expect(coloured.output).toContain('\u001b[');
  });

  it('drops the bar when the line would not fit the terminal', () => {
    const stream = { ...recorder(true), columns: 60 };
    createProgressReporter({ stream, color: false })(progress(3));
    expect(stream.output.startsWith('\r\u001b[2Kstep 3/10 ')).toBe(true);
  });
});
