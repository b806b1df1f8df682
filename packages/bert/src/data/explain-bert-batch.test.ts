import { createRng, IGNORE_INDEX } from '@lm-objectives/core';
import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import type { BertBatch } from '../bert-batch';
import { createBertBatch } from './create-bert-batch';
import { createMaskedLmMasker } from './create-masked-lm-masker';
import { explainBertBatch } from './explain-bert-batch';
import { MASK_ACTION } from './mask-action';

const [PAD, CLS, SEP, MASK] = [0, 1, 2, 3] as const;
const SPECIALS = [CLS, SEP, PAD, MASK];

/**
 * One hand-made row, `[CLS] the cat [SEP] sat [SEP] [PAD]` with ids `1 10 11 2 17 2 0`: "the" was
 * replaced by [MASK], "cat" by the random id 42, "sat" was selected and kept; B is random.
 */
function handMadeBatch(): BertBatch {
  const row = [1, 7];
  const field = <T extends Int32Array | Uint8Array | Float32Array>(
    dtype: 'int32' | 'bool' | 'float32',
    shape: number[],
    data: T,
  ) => ({ dtype, shape, data }) as never;
  return {
    size: 1,
    dimensions: { batch: 1, sequence: 7, predictions: 3, scored: 3 },
    fields: {
      inputIds: field('int32', row, Int32Array.of(CLS, MASK, 42, SEP, 17, SEP, PAD)),
      tokenTypeIds: field('int32', row, Int32Array.of(0, 0, 0, 0, 1, 1, 0)),
      attentionMask: field('bool', row, Uint8Array.of(1, 1, 1, 1, 1, 1, 0)),
      labels: field('int32', row, Int32Array.of(-100, 10, 11, -100, 17, -100, -100)),
      maskedPositions: field('int32', [1, 3], Int32Array.of(1, 2, 4)),
      maskedIds: field('int32', [1, 3], Int32Array.of(10, 11, 17)),
      maskedWeights: field('float32', [1, 3], Float32Array.of(1, 1, 1)),
      scoredPositions: field('int32', [3], Int32Array.of(1, 2, 4)),
      scoredLabels: field('int32', [3], Int32Array.of(10, 11, 17)),
      nextSentenceLabels: field('int32', [1], Int32Array.of(1)),
    },
    counts: { maskedLm: 3, nextSentence: 1 },
    maskActions: Uint8Array.of(
      MASK_ACTION.none,
      MASK_ACTION.masked,
      MASK_ACTION.random,
      MASK_ACTION.none,
      MASK_ACTION.kept,
      MASK_ACTION.none,
      MASK_ACTION.none,
    ),
  };
}

describe('explainBertBatch', () => {
  it('explains a hand-made row position by position in core’s TokenAction words', () => {
    const { rows } = explainBertBatch(handMadeBatch(), { specialTokenIds: SPECIALS });
    const real = { attention: 'all real tokens' };
    const scored = (originalId: number) => ({
      label: originalId,
      weight: 1,
      part: 'maskedLm',
      originalId,
    });
    const unscored = { label: null, weight: 0 };
    expect(rows).toEqual([
      {
        tokens: [
          { inputId: CLS, ...unscored, action: 'special', positions: [0], segment: 0, ...real },
          { inputId: MASK, ...scored(10), action: 'masked', positions: [1], segment: 0, ...real },
          { inputId: 42, ...scored(11), action: 'random', positions: [2], segment: 0, ...real },
          { inputId: SEP, ...unscored, action: 'special', positions: [3], segment: 0, ...real },
          { inputId: 17, ...scored(17), action: 'kept', positions: [4], segment: 1, ...real },
          { inputId: SEP, ...unscored, action: 'special', positions: [5], segment: 1, ...real },
          {
            inputId: PAD,
            ...unscored,
            action: 'padding',
            positions: [6],
            segment: 0,
            attention: 'none (padding)',
          },
        ],
        facts: { nextSentenceLabel: 1, nextSentence: 'NotNext', predictions: 3 },
      },
    ]);
  });

  it('agrees with the batch on a masked batch: one row per example, scored exactly where labels are', () => {
    const masker = createMaskedLmMasker({
      vocabularySize: 60,
      maskTokenId: MASK,
      specialTokenIds: [CLS, SEP],
      selectionRatio: 0.4,
    });
    const random = createRng(5);
    const examples = Array.from({ length: 4 }, (_, row) => {
      const a = Array.from({ length: 2 + row }, () => random.int(10, 59));
      const b = Array.from({ length: 3 }, () => random.int(10, 59));
      const inputIds = [CLS, ...a, SEP, ...b, SEP];
      return {
        inputIds,
        tokenTypeIds: inputIds.map((_, index) => (index <= a.length + 1 ? 0 : 1)),
        nextSentenceLabel: (row % 2) as 0 | 1,
      };
    });
    const batch = createBertBatch(examples, { masker, padTokenId: PAD }, createRng(6));
    const { rows } = explainBertBatch(batch, { specialTokenIds: SPECIALS });
    const length = batch.dimensions['sequence']!;
    expect(rows).toHaveLength(4);
    let predictions = 0;
    rows.forEach((row, b) => {
      expect(row.tokens).toHaveLength(length);
      expect(row.facts?.['nextSentence']).toBe(b % 2 === 1 ? 'NotNext' : 'IsNext');
      row.tokens.forEach((token, t) => {
        const index = b * length + t;
        const label = batch.fields.labels.data[index]!;
        expect(token.inputId).toBe(batch.fields.inputIds.data[index]);
        expect(token.label).toBe(label === IGNORE_INDEX ? null : label);
        if (token.action === 'masked') expect(token.inputId).toBe(MASK);
        if (token.action === 'kept') expect(token.inputId).toBe(token.originalId);
        if (token.action === 'special') expect([CLS, SEP]).toContain(token.inputId);
        if (token.action === 'padding') expect(batch.fields.attentionMask.data[index]).toBe(0);
      });
      predictions += row.facts?.['predictions'] as number;
    });
    expect(predictions).toBe(batch.counts.maskedLm);
  });

  it('refuses a batch without the BERT fields', () => {
    const { tokenTypeIds: _, ...fields } = handMadeBatch().fields;
    expectInvalidArgument(
      () =>
        explainBertBatch({ ...handMadeBatch(), fields } as unknown as BertBatch, {
          specialTokenIds: SPECIALS,
        }),
      'explainBertBatch',
      'batch',
      ['without tokenTypeIds'],
    );
  });
});
