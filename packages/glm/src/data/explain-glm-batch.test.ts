import { createRng } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_GENERATION_LENGTH,
  DOCUMENT_TEXT,
  WORKED_ORDER,
  WORKED_SPANS,
  WORKED_TEXT,
  WORKED_TOKEN_IDS,
} from '../../test/worked-examples';
import { createGlmBatch } from './create-glm-batch';
import { createGlmSampleBuilder } from './create-glm-sample-builder';
import { explainGlmBatch } from './explain-glm-batch';
import { glmAttentionMask } from './glm-attention-mask';

const TOKENS = WORKED_TOKEN_IDS;
const builder = createGlmSampleBuilder(TOKENS);
const worked = builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: WORKED_ORDER });
const suffix = builder.buildDocument(DOCUMENT_TEXT, {
  generationLength: DOCUMENT_GENERATION_LENGTH,
});

describe('explainGlmBatch', () => {
  const [span, document] = explainGlmBatch(createGlmBatch([worked, suffix], TOKENS)).rows;

  it('explains the worked token-span example position by position', () => {
    const tokens = span!.tokens;
    expect(tokens.map((token) => token.action)).toEqual([
      'special',
      'context',
      'context',
      'blank',
      'context',
      'blank',
      'span',
      'span',
      'span',
      'span',
      'span',
    ]);
    expect(tokens.map((token) => token.inputId)).toEqual([1, 11, 12, 2, 14, 2, 3, 15, 16, 3, 13]);
    expect(tokens.map((token) => token.label)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      15,
      16,
      4,
      13,
      4,
    ]);
    expect(tokens.map((token) => token.weight)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(tokens.map((token) => token.part ?? null)).toEqual([
      ...Array(6).fill(null),
      ...Array(5).fill('span'),
    ]);
    // Both position rows of the reference's table.
    expect(tokens.map((token) => token.positions![0])).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3]);
    expect(tokens.map((token) => token.positions![1])).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2]);
    expect(tokens.map((token) => token.attention)).toEqual([
      ...Array(6).fill('< 6'),
      ...Array(5).fill('< 6 or ≤ self'),
    ]);
    expect(span!.facts).toEqual({
      mode: 'span',
      separator: 6,
      textLength: 7,
      blankedCount: 3,
      spanCount: 2,
      spanOrder: '1, 0',
    });
  });

  it('explains the [gMASK] example with its right padding', () => {
    const tokens = document!.tokens;
    expect(tokens).toHaveLength(11);
    expect(tokens.map((token) => token.action)).toEqual([
      'special',
      'context',
      'context',
      'blank',
      'span',
      'span',
      'span',
      'span',
      'span',
      'padding',
      'padding',
    ]);
    expect(tokens.slice(4, 9).map((token) => token.label)).toEqual([13, 14, 15, 16, 17]);
    expect(tokens.slice(4, 9).every((token) => token.part === 'document')).toBe(true);
    expect(tokens.slice(9).every((token) => token.label === null && token.weight === 0)).toBe(true);
    expect(tokens.map((token) => token.positions![1])).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0]);
    expect(document!.facts).toMatchObject({ mode: 'document', separator: 4, spanOrder: '0' });
  });

  it('agrees with the batch: labels, weights, counts and the attention mask', () => {
    const splitter = (text: Int32Array) =>
      Array.from(text.keys()).filter((index) => index % 6 === 5);
    const options = {
      ...TOKENS,
      spanProbability: 0.4,
      sentenceProbability: 0.3,
      sentenceSplitter: splitter,
    };
    const random = createRng(8);
    const texts = Array.from({ length: 12 }, () =>
      Array.from({ length: random.int(2, 40) }, () => random.int(20, 90)),
    );
    const batch = createGlmBatch(texts, options, random);
    const length = batch.dimensions['sequence']!;
    const mask = glmAttentionMask(batch).data;
    const explanation = explainGlmBatch(batch);
    const scoredByPart = { span: 0, sentence: 0, document: 0 } as Record<string, number>;
    explanation.rows.forEach((row, b) => {
      expect(row.tokens).toHaveLength(length);
      const sample = batch.samples[b]!;
      row.tokens.forEach((token, t) => {
        const label = batch.fields.labels.data[b * length + t]!;
        expect(token.label).toBe(label === -100 ? null : label);
        expect(token.weight).toBe(batch.fields.lossMask.data[b * length + t]);
        if (token.part !== undefined) scoredByPart[token.part]!++;
        // The rule in words, read back, is the boolean mask's row.
        const sep = Number(/^< (\d+)/.exec(token.attention!)![1]);
        const causal = token.attention!.endsWith('or ≤ self');
        for (let key = 0; key < length; key++) {
          const allowed = key < sep || (causal && key <= t) ? 1 : 0;
          expect(mask[(b * length + t) * length + key]).toBe(allowed);
        }
      });
      // One blank action per blank, at the Part A position of each mask token.
      expect(row.tokens.filter((token) => token.action === 'blank')).toHaveLength(
        sample.spans.length,
      );
      expect(row.facts!['spanOrder']).toBe(sample.order.join(', '));
      expect(row.facts!['mode']).toBe(sample.mode);
    });
    expect(scoredByPart).toEqual(batch.counts);
  });
});
