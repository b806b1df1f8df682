import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFineTuningTable, formatNotes, formatPretrainingTable } from './format-results';
import { renderHtmlReport } from './html-report';
import type { DemoRunResult, PhaseResult } from './phase-result';
import { svgLossCurve } from './svg-loss-curve';
import { writeReport } from './write-report';

const baseline = {
  uniformLoss: Math.log(3000),
  unigramLoss: 6.5,
  mostFrequentTokenId: 17,
  mostFrequentRate: 0.05,
  targets: 1000,
};

function phase(id: PhaseResult['id'], title: string, trainable: number): PhaseResult {
  const fineTuning = id === 'lora' || id === 'prefix';
  return {
    id,
    title,
    description: `${title} <on> "the corpus" & more`,
    steps: 3,
    start: fineTuning ? 'checkpoint' : 'scratch',
    baseline,
    before: fineTuning
      ? { loss: 9, tokenLoss: 9, exactMatches: { matched: 0, total: 10 } }
      : { loss: 8.7, tokenLoss: 8, accuracy: 0.001, nextSentenceAccuracy: 0.5 },
    after: fineTuning
      ? {
          loss: 0.25,
          tokenLoss: 0.25,
          exactMatches: { matched: id === 'lora' ? 10 : 3, total: 10 },
        }
      : { loss: 6.6, tokenLoss: 5.9, accuracy: 0.125, nextSentenceAccuracy: 0.625 },
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
  it('draws one polyline point per step, both reference lines and both evaluation dots', () => {
    const svg = svgLossCurve([8, 7, 6, 5], {
      width: 100,
      height: 100,
      references: [
        { value: 8, label: 'ln V' },
        { value: 6.5, label: 'unigram' },
      ],
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
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain('>unigram</text>');
  });

  it('renders a self-contained page with the table, the comparison and escaped text', () => {
    const html = renderHtmlReport(result, new Date('2026-01-02T03:04:05Z'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('Pre-training, on held-out text');
    expect(html).toContain("Fine-tuning: the prompt's words in reverse order");
    expect(html).toContain('unigram = 6.50');
    expect(html).toContain('&lt;on&gt; &quot;the corpus&quot; &amp; more');
    expect(html).not.toContain('<on>');
    expect(html).toContain('2026-01-02T03:04:05.000Z');
  });

  it('formats the pre-training table with the baselines, the gap and the accuracies', () => {
    const table = formatPretrainingTable(result).split('\n');
    expect(table[0]).toBe(
      '| objective | starts       | steps | held-out loss | unigram | ln V  | below unigram | accuracy | most-frequent rate | trainable / total params   | time  | check |',
    );
    expect(table[2]).toBe(
      '| BERT      | from scratch | 3     | 8.000 → 5.900 | 6.500   | 8.006 | 0.600         | 12.5%    | 5.0%               | 100,000 / 100,000 (100.0%) | 2.5 s | pass  |',
    );
    expect(formatNotes(result).split('\n')).toEqual([
      "Accuracy: top-1 on BERT's masked tokens, on the tokens of GLM's blanks ([eop] left out), on the causal model's next tokens; the most-frequent rate is always guessing the most frequent training target on the same tokens.",
      "BERT's next-sentence accuracy on the held-out pairs: 50.0% → 62.5%.",
    ]);
  });

  it('formats the fine-tuning table with the exact completions before and after', () => {
    const table = formatFineTuningTable(result).split('\n');
    expect(table[0]).toBe(
      '| method | base                      | steps | trainable params | held-out loss | exact before | exact after | time  | check |',
    );
    expect(table[2]).toBe(
      '| LoRA   | shipped causal checkpoint | 3     | 5,000 (5.00%)    | 9.000 → 0.250 | 0 / 10       | 10 / 10     | 2.5 s | pass  |',
    );
    expect(table[3]).toContain('| 3 / 10      |');
  });

  it('writes the page to the given path, creating the folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'demo-report-'));
    const path = writeReport(result, join(folder, 'nested', 'report.html'));
    expect(path).toBe(join(folder, 'nested', 'report.html'));
    expect(readFileSync(path, 'utf8')).toContain('lm-objectives demo report');
  });
});
