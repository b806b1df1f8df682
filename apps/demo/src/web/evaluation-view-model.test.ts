import { describe, expect, it } from 'vitest';
import { evaluationViewModel, startDescription } from './evaluation-view-model';
import type { TaskSummary } from './protocol';

const summary = (
  objective: TaskSummary['objective'],
  start: TaskSummary['start'],
): TaskSummary => ({
  objective,
  backend: 'wasm',
  seed: 1,
  trainableParameters: 1,
  totalParameters: 1,
  title: objective,
  description: '',
  totalSteps: 10,
  baseline: {
    uniformLoss: Math.log(3000),
    unigramLoss: 6.5,
    mostFrequentTokenId: 12,
    mostFrequentRate: 0.056,
    targets: 900,
  },
  start,
});

describe('evaluationViewModel', () => {
  it('sets a pre-training objective against ln V, the unigram loss and the most-frequent rate', () => {
    const model = evaluationViewModel(
      summary('bert', { kind: 'scratch' }),
      { loss: 8.7, tokenLoss: 8.01, accuracy: 0, nextSentenceAccuracy: 0.5 },
      { loss: 6.5, tokenLoss: 5.95, accuracy: 0.131, nextSentenceAccuracy: 0.62 },
      300,
    );
    expect(model.start).toBe('from scratch (fresh weights)');
    expect(model.rows.map((row) => [row.label, row.before, row.now, row.reference])).toEqual([
      ['loss per masked token', '8.010', '5.950', 'unigram 6.500 · ln V 8.006'],
      ['below the unigram loss', '-1.510', '0.550', 'goal: at least 0.5'],
      ['top-1 accuracy', '0.0 %', '13.1 %', 'most frequent token 5.6 %'],
      ['next-sentence accuracy', '50.0 %', '62.0 %', 'chance 50 %'],
    ]);
    expect(model.goals.map((goal) => goal.passed)).toEqual([true, true]);
    expect(model.step).toBe(300);
  });

  it("shows a fine-tuning method's exact completions and where its frozen base came from", () => {
    const exact = (matched: number) => ({
      loss: 3,
      tokenLoss: 3,
      exactMatches: { matched, total: 10 },
    });
    const model = evaluationViewModel(
      summary('lora', { kind: 'checkpoint', steps: 2000 }),
      { ...exact(0), loss: 9.2 },
      { ...exact(10), loss: 0.12 },
      300,
    );
    expect(model.start).toContain('the shipped causal checkpoint (pre-trained 2000 steps');
    expect(model.rows.map((row) => [row.label, row.before, row.now])).toEqual([
      ['loss per completion token', '9.200', '0.120'],
      ['exact greedy completions', '0 of 10', '10 of 10'],
    ]);
    expect(model.goals.every((goal) => goal.passed)).toBe(true);
    expect(startDescription({ kind: 'page', steps: 300 })).toContain(
      'pre-trained 300 steps from scratch on this page',
    );
    expect(startDescription({ kind: 'pretrained', steps: 1500 })).toBe(
      'from the shipped checkpoint (pre-trained 1500 steps by scripts/train-checkpoints.ts), training on at a tenth of the peak learning rate',
    );
    expect(startDescription({ kind: 'scratch' })).toBe('from scratch (fresh weights)');
  });
});
