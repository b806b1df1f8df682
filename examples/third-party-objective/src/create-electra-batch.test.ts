import { createRng, IGNORE_INDEX } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { createElectraBatch, proposalIds } from './create-electra-batch';
import { resolveElectraOptions } from './electra-options';

const options = resolveElectraOptions({
  vocabularySize: 20,
  maskTokenId: 1,
  padTokenId: 0,
  specialTokenIds: [2, 3],
  maskRatio: 0.25,
});

describe('createElectraBatch', () => {
  it('masks max(1, round(r·n)) ordinary tokens per row and labels exactly the replaced ones', () => {
    const texts = [
      [2, 4, 5, 6, 7, 8, 9, 10, 11, 3],
      [2, 12, 3],
      [2, 3],
    ];
    const batch = createElectraBatch(texts, options, createRng(5));
    const {
      generatorInputIds,
      generatorLabels,
      discriminatorInputIds,
      discriminatorLabels,
      attentionMask,
    } = batch.fields;
    const sequence = batch.dimensions['sequence']!;
    expect(sequence).toBe(10);
    const maskedPerRow = texts.map((text, row) => {
      let masked = 0;
      for (let position = 0; position < sequence; position++) {
        const at = row * sequence + position;
        const original = text[position];
        expect(attentionMask.data[at]).toBe(original === undefined ? 0 : 1);
        if (generatorLabels.data[at] === IGNORE_INDEX) {
          expect(generatorInputIds.data[at]).toBe(original ?? 0);
          expect(discriminatorInputIds.data[at]).toBe(original ?? 0);
          expect(discriminatorLabels.data[at]).toBe(0);
          continue;
        }
        masked++;
        expect(generatorLabels.data[at]).toBe(original);
        expect(generatorInputIds.data[at]).toBe(1);
        expect([0, 1, 2, 3]).not.toContain(original);
        expect([0, 1, 2, 3]).not.toContain(discriminatorInputIds.data[at]);
        expect(discriminatorLabels.data[at]).toBe(
          discriminatorInputIds.data[at] === original ? 0 : 1,
        );
      }
      return masked;
    });
    // 8 ordinary tokens: round(0.25 · 8) = 2; 1 token: max(1, round(0.25)) = 1; none: 0.
    expect(maskedPerRow).toEqual([2, 1, 0]);
    expect(batch.counts).toEqual({ generator: 3, discriminator: 10 + 3 + 2 });
  });

  it('is deterministic for a seed', () => {
    const texts = [[2, 4, 5, 6, 7, 3]];
    expect(createElectraBatch(texts, options, createRng(8))).toEqual(
      createElectraBatch(texts, options, createRng(8)),
    );
  });

  it('draws replacements uniformly from the non-reserved ids (16 ids, 8000 draws, 5σ per id)', () => {
    const ids = proposalIds(options);
    expect(Array.from(ids)).toEqual(Array.from({ length: 16 }, (_, index) => index + 4));
    const rows = Array.from({ length: 8000 }, () => [2, 5, 3]);
    const batch = createElectraBatch(rows, options, createRng(3));
    const frequency = new Map<number, number>();
    batch.fields.discriminatorInputIds.data.forEach((id, at) => {
      if (at % 3 === 1) frequency.set(id, (frequency.get(id) ?? 0) + 1);
    });
    // Binomial(8000, 1/16): mean 500, σ = √(8000 · 1/16 · 15/16) ≈ 21.7.
    for (const id of ids) expect(Math.abs((frequency.get(id) ?? 0) - 500)).toBeLessThan(5 * 21.7);
    // A proposal equal to the original (id 5) is not a replacement.
    const kept = batch.fields.discriminatorLabels.data.filter(
      (label, at) => at % 3 === 1 && label === 0,
    ).length;
    expect(kept).toBe(frequency.get(5));
  });

  it('refuses ids outside the vocabulary, naming the example and position', () => {
    expect(() =>
      createElectraBatch(
        [
          [2, 4],
          [2, 25],
        ],
        options,
        createRng(1),
      ),
    ).toThrow(
      "electra/replaced-token-detection createBatch: argument 'examples[1][1]' is invalid. Expected a token id, an integer in [0, 20); received 25.",
    );
  });
});
