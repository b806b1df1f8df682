import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFineTuningComparison, formatSummaryTable } from './format-results';
import { renderHtmlReport } from './html-report';
import type { DemoRunResult, PhaseResult } from './phase-result';
import { svgLossCurve } from './svg-loss-curve';
import { writeReport } from './write-report';

function phase(id: PhaseResult['id'], title: string, trainable: number): PhaseResult {
  return {
    id,
    title,
    description: `${title} <on> "the corpus" & more`,
    steps: 3,
    initialLoss: 8,
    finalLoss: 6,
    uniformLoss: Math.log(3000),
    trainingLosses: [8, 7, 6],
    tokensPerSecond: 1234.4,
    trainingMs: 2500,
    parameters: { trainable, total: 100_000 },
    samplesBefore: id === 'lora' ? [{ input: 'a <b>', output: 'x', expected: 'y' }] : [],
    samplesAfter: [{ input: 'a <b>', output: 'y', expected: 'y' }],
    checks: [{ name: 'final ≤ 0.8 × initial', passed: true, detail: '6.000 ≤ 6.400' }],
  };
}

const result: DemoRunResult = {
  backend: 'wasm',
  seed: 1,
  phases: [
    phase('bert', 'BERT', 100_000),
    phase('lora', 'LoRA', 5000),
    phase('prefix', 'Prefix', 6000),
  ],
  wallMs: 9000,
  passed: true,
};

describe('the report', () => {
  it('draws one polyline point per step, the ln V line and both evaluation dots', () => {
    const svg = svgLossCurve([8, 7, 6, 5], {
      width: 100,
      height: 100,
      reference: { value: 8, label: 'ln V' },
      evaluation: { initial: 8, final: 5 },
    });
    const points = /<polyline points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(points).toHaveLength(4);
    // y grows downwards: the loss falls, so y rises from point to point.
    const ys = points.map((point) => Number(point.split(',')[1]));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    // The top of the plot (y = margin 12) is the highest loss, 8; the bottom (100 − 28) is 5.
    expect(ys[0]).toBeCloseTo(12, 5);
    expect(ys[3]).toBeCloseTo(72, 5);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
  });

  it('renders a self-contained page with the table, the comparison and escaped text', () => {
    const html = renderHtmlReport(result, new Date('2026-01-02T03:04:05Z'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('LoRA vs prefix tuning');
    expect(html).toContain('&lt;on&gt; &quot;the corpus&quot; &amp; more');
    expect(html).not.toContain('<on>');
    expect(html).toContain('2026-01-02T03:04:05.000Z');
  });

  it('formats the final table with every column the issue asks for', () => {
    const table = formatSummaryTable(result).split('\n');
    expect(table[0]).toBe(
      '| objective | initial loss | final loss | ln V  | steps | tokens/s | wall time | trainable / total params   | check |',
    );
    expect(table[2]).toBe(
      '| BERT      | 8.000        | 6.000      | 8.006 | 3     | 1,234    | 2.5 s     | 100,000 / 100,000 (100.0%) | pass  |',
    );
    expect(formatFineTuningComparison(result)).toContain('| LoRA   | 5,000            | 5.00% |');
  });

  it('writes the page to the given path, creating the folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'demo-report-'));
    const path = writeReport(result, join(folder, 'nested', 'report.html'));
    expect(path).toBe(join(folder, 'nested', 'report.html'));
    expect(readFileSync(path, 'utf8')).toContain('lm-objectives demo report');
  });
});
