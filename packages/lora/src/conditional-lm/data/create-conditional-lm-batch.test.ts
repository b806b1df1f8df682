import { decodeArray, type EncodedArray, readGolden } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import type { ConditionalExample } from '../conditional-example';
import type { ConditionalLmOptions } from '../conditional-lm-options';
import { createConditionalLmBatch } from './create-conditional-lm-batch';

const I = -100;
const EOS = 2;

function rowsOf(data: ArrayLike<number>, shape: readonly number[]): number[][] {
  const [rows, length] = shape as [number, number];
  return Array.from({ length: rows }, (_, row) =>
    Array.from(data).slice(row * length, row * length + length),
  );
}

const GOLDEN_FIELDS = [
  'inputIds',
  'labels',
  'positionIds',
  'exampleIds',
  'scoredPositions',
  'scoredLabels',
] as const;
type BatchFieldName = (typeof GOLDEN_FIELDS)[number];

interface GoldenCase {
  name: string;
  examples: ConditionalExample[];
  options: ConditionalLmOptions;
  expectedBatch: Record<BatchFieldName, EncodedArray> & {
    dropped: number[];
  };
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('../__fixtures__/conditional-lm.golden.json', import.meta.url),
);

describe('createConditionalLmBatch: label construction', () => {
  it('masks the prompt and the padding by position, so pad = EOS still trains EOS', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9], completion: [7] },
        { prompt: [3, 4, 5], completion: [6, 8] },
      ],
      { eosTokenId: EOS },
    );
    expect(rowsOf(batch.fields.inputIds.data, batch.fields.inputIds.shape)).toEqual([
      [5, 9, 7, EOS, EOS, EOS],
      [3, 4, 5, 6, 8, EOS],
    ]);
    // Row 0: the EOS at position 3 is a target; positions 4 and 5 hold the same id but are padding.
    expect(rowsOf(batch.fields.labels.data, batch.fields.labels.shape)).toEqual([
      [I, I, 7, EOS, I, I],
      [I, I, I, 6, 8, EOS],
    ]);
    expect(rowsOf(batch.fields.attentionMask.data, [2, 6])).toEqual([
      [1, 1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    expect(rowsOf(batch.fields.positionIds.data, [2, 6])).toEqual([
      [0, 1, 2, 3, 0, 0],
      [0, 1, 2, 3, 4, 5],
    ]);
    expect(batch.counts.conditionalLm).toBe(5);
    expect(batch.dropped).toBe(0);
  });

  it('lists each scored token once, at the flat position that predicts it (after the causal shift)', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9], completion: [7] },
        { prompt: [3, 4, 5], completion: [6, 8] },
      ],
      { eosTokenId: EOS },
    );
    // Rows of length 6: row 0 scores 7 (predicted at 1) and EOS (at 2); row 1 scores 6, 8 and EOS
    // at its positions 2, 3, 4, i.e. flat 6 + 2, 6 + 3, 6 + 4.
    expect(Array.from(batch.fields.scoredPositions.data)).toEqual([1, 2, 8, 9, 10]);
    expect(Array.from(batch.fields.scoredLabels.data)).toEqual([7, EOS, 6, 8, EOS]);
    expect(batch.fields.scoredPositions.shape).toEqual([5]);
    expect(batch.dimensions).toEqual({ batch: 2, sequence: 6, scored: 5 });
    expect(batch.counts.conditionalLm).toBe(5);
  });

  it('records what each position holds: prompt, completion, the appended EOS, padding', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9], completion: [7] },
        { prompt: [3, 4, 5], completion: [6, 8] },
      ],
      { eosTokenId: EOS },
    );
    expect(rowsOf(batch.tokenActions, [2, 6])).toEqual([
      [1, 1, 2, 3, 0, 0],
      [1, 1, 1, 2, 2, 3],
    ]);
  });

  it("pads to maxLength with padding: 'max-length', and rounds up to padToMultipleOf", () => {
    const examples = [{ prompt: [5], completion: [7] }];
    const toMaxLength = createConditionalLmBatch(examples, {
      eosTokenId: EOS,
      padTokenId: 0,
      maxLength: 6,
      padding: 'max-length',
    });
    expect(Array.from(toMaxLength.fields.inputIds.data)).toEqual([5, 7, EOS, 0, 0, 0]);
    expect(Array.from(toMaxLength.fields.attentionMask.data)).toEqual([1, 1, 1, 0, 0, 0]);
    const rounded = createConditionalLmBatch(examples, {
      eosTokenId: EOS,
      padTokenId: 0,
      padToMultipleOf: 4,
    });
    expect(rounded.fields.inputIds.shape).toEqual([1, 4]);
    expect(Array.from(rounded.fields.labels.data)).toEqual([I, 7, EOS, I]);
    expect(() =>
      createConditionalLmBatch(examples, { eosTokenId: EOS, padding: 'max-length' }),
    ).toThrow(/options\.maxLength.*padding is 'max-length'/);
  });

  it('pads with a distinct pad id when given, and can leave EOS out', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5], completion: [7] },
        { prompt: [3, 4], completion: [6, 8] },
      ],
      { eosTokenId: EOS, padTokenId: 0, appendEos: false },
    );
    expect(rowsOf(batch.fields.inputIds.data, [2, 4])).toEqual([
      [5, 7, 0, 0],
      [3, 4, 6, 8],
    ]);
    expect(rowsOf(batch.fields.labels.data, [2, 4])).toEqual([
      [I, 7, I, I],
      [I, I, 6, 8],
    ]);
  });

  it('drops and counts examples that truncation leaves without a completion token', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9, 4], completion: [7] }, // [5, 9, 4] after truncation: nothing to score
        { prompt: [3], completion: [6, 8, 10] }, // [3, 6, 8]: 6 and 8 scored, EOS lost
        { prompt: [1, 1], completion: [12] }, // [1, 1, 12]: 12 scored
      ],
      { eosTokenId: EOS, maxLength: 3 },
    );
    expect(batch.dropped).toBe(1);
    expect(batch.droppedExamples).toEqual([0]);
    expect(batch.truncated).toBe(3);
    expect(batch.size).toBe(2);
    expect(rowsOf(batch.fields.labels.data, [2, 3])).toEqual([
      [I, 6, 8],
      [I, I, 12],
    ]);
    expect(batch.rows.map((row) => row.map((placed) => placed.example))).toEqual([[1], [2]]);
    expect(batch.counts.conditionalLm).toBe(3);
  });

  it('truncates from the start with truncation: start, keeping the completion and EOS', () => {
    const batch = createConditionalLmBatch([{ prompt: [5, 9, 4, 11], completion: [7, 8] }], {
      eosTokenId: EOS,
      maxLength: 4,
      truncation: 'start',
    });
    expect(Array.from(batch.fields.inputIds.data)).toEqual([11, 7, 8, EOS]);
    expect(Array.from(batch.fields.labels.data)).toEqual([I, 7, 8, EOS]);
  });

  it('returns an empty batch, counting every drop, when nothing survives truncation', () => {
    const batch = createConditionalLmBatch([{ prompt: [5, 9, 4], completion: [7] }], {
      eosTokenId: EOS,
      maxLength: 2,
    });
    expect(batch.size).toBe(0);
    expect(batch.dimensions).toEqual({ batch: 0, sequence: 0, scored: 0 });
    expect(batch.fields.scoredPositions.data).toHaveLength(0);
    expect(batch.counts.conditionalLm).toBe(0);
    expect(batch.dropped).toBe(1);
  });

  it('does not score the first token of an example, which nothing before it predicts', () => {
    const batch = createConditionalLmBatch([{ prompt: [], completion: [7, 8] }], {
      eosTokenId: EOS,
    });
    expect(Array.from(batch.fields.labels.data)).toEqual([I, 8, EOS]);
    expect(batch.counts.conditionalLm).toBe(2);
  });

  it('packs examples first-fit with position restarts, example ids, and no scoring across a boundary', () => {
    const batch = createConditionalLmBatch(
      [
        { prompt: [5, 9], completion: [7] }, // length 4
        { prompt: [3, 4, 5, 6], completion: [8] }, // length 6: does not fit after the first in 8
        { prompt: [10], completion: [11, 12] }, // length 4: joins the first row
      ],
      { eosTokenId: EOS, maxLength: 8, packing: true, strategy: 'all' },
    );
    expect(batch.size).toBe(2);
    expect(rowsOf(batch.fields.inputIds.data, [2, 8])).toEqual([
      [5, 9, 7, EOS, 10, 11, 12, EOS],
      [3, 4, 5, 6, 8, EOS, EOS, EOS],
    ]);
    // With strategy 'all' every token is a target, except each example's first: position 4 of row 0
    // (id 10) would otherwise be predicted from the previous example's EOS.
    expect(rowsOf(batch.fields.labels.data, [2, 8])).toEqual([
      [I, 9, 7, EOS, I, 11, 12, EOS],
      [I, 4, 5, 6, 8, EOS, I, I],
    ]);
    expect(rowsOf(batch.fields.positionIds.data, [2, 8])).toEqual([
      [0, 1, 2, 3, 0, 1, 2, 3],
      [0, 1, 2, 3, 4, 5, 0, 0],
    ]);
    expect(rowsOf(batch.fields.exampleIds.data, [2, 8])).toEqual([
      [1, 1, 1, 1, 2, 2, 2, 2],
      [1, 1, 1, 1, 1, 1, 0, 0],
    ]);
    expect(batch.rows).toEqual([
      [
        { example: 0, start: 0, length: 4 },
        { example: 2, start: 4, length: 4 },
      ],
      [{ example: 1, start: 0, length: 6 }],
    ]);
    expect(batch.counts.conditionalLm).toBe(11);
  });

  const chat: ConditionalExample = {
    turns: [
      { role: 'system', ids: [15] },
      { role: 'user', ids: [5, 6] },
      { role: 'assistant', ids: [7, 8] },
      { role: 'user', ids: [10] },
      { role: 'assistant', ids: [11, 12] },
    ],
  };
  const chatIds = [15, 5, 6, 7, 8, 10, 11, 12, EOS];
  it.each([
    ['completion-only', [I, I, I, I, I, I, 11, 12, EOS]],
    ['last', [I, I, I, I, I, I, 11, 12, EOS]],
    ['assistant', [I, I, I, 7, 8, I, 11, 12, EOS]],
    ['all', [I, 5, 6, 7, 8, 10, 11, 12, EOS]],
  ] as const)('scores a chat with strategy %s', (strategy, labels) => {
    const batch = createConditionalLmBatch([chat], { eosTokenId: EOS, strategy });
    expect(Array.from(batch.fields.inputIds.data)).toEqual(chatIds);
    expect(Array.from(batch.fields.labels.data)).toEqual(labels);
  });

  it('marks the assistant turns the strategy targets as completion, the other turns as prompt', () => {
    const actionsOf = (strategy: 'completion-only' | 'assistant') =>
      Array.from(createConditionalLmBatch([chat], { eosTokenId: EOS, strategy }).tokenActions);
    // system, user ×2, assistant ×2, user, assistant ×2, EOS
    expect(actionsOf('completion-only')).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 3]);
    expect(actionsOf('assistant')).toEqual([1, 1, 1, 2, 2, 1, 2, 2, 3]);
  });

  it('does not score EOS after a chat that ends with a user turn, and drops a chat without assistant turns', () => {
    const endsWithUser: ConditionalExample = {
      turns: [
        { role: 'user', ids: [5] },
        { role: 'assistant', ids: [7, 8] },
        { role: 'user', ids: [9] },
      ],
    };
    const noAssistant: ConditionalExample = { turns: [{ role: 'user', ids: [5, 6] }] };
    const batch = createConditionalLmBatch([endsWithUser, noAssistant], {
      eosTokenId: EOS,
      strategy: 'assistant',
    });
    expect(Array.from(batch.fields.labels.data)).toEqual([I, 7, 8, I, I]);
    expect(batch.droppedExamples).toEqual([1]);
  });

  it.each([['prompt–completion'], ['completion-only']])(
    'treats a %s pair under assistant and last like completion-only',
    () => {
      for (const strategy of ['assistant', 'last'] as const) {
        const batch = createConditionalLmBatch([{ prompt: [4, 5], completion: [6] }], {
          eosTokenId: EOS,
          strategy,
        });
        expect(Array.from(batch.fields.labels.data)).toEqual([I, I, 6, EOS]);
      }
    },
  );

  it.each(golden.cases.map((item) => [item.name, item] as const))(
    'agrees with the independent Python construction: %s',
    (_, item) => {
      const batch = createConditionalLmBatch(item.examples, item.options);
      for (const field of GOLDEN_FIELDS) {
        expect(batch.fields[field].shape, field).toEqual(item.expectedBatch[field].shape);
        expect(Array.from(batch.fields[field].data), field).toEqual(
          Array.from(decodeArray(item.expectedBatch[field])),
        );
      }
      expect(batch.droppedExamples).toEqual(item.expectedBatch.dropped);
    },
  );
});
