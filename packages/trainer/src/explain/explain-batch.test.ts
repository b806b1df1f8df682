import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { createTinyObjective, makeTinyBatch } from '../test-support/trainer-fixtures';
import type { ObjectiveBatchExplanation } from './batch-explanation';
import { explainBatch } from './explain-batch';
import { formatBatchExplanation } from './format-batch-explanation';
import { summarizeAttention } from './summarize-attention';

const LETTERS = ' abcdefghij';
const decode = (id: number) => LETTERS[id] ?? `<${id}>`;

/** A BERT-shaped batch: [CLS] a b [MASK] [SEP] c [SEP] [PAD], gathered masked-LM labels, NSP label. */
function bertLikeBatch(): ObjectiveBatchV1 {
  return {
    size: 1,
    dimensions: { batch: 1, sequence: 8, predictions: 3 },
    fields: {
      inputIds: {
        dtype: 'int32',
        shape: [1, 8],
        data: Int32Array.from([101, 1, 2, 103, 102, 3, 102, 0]),
      },
      segmentIds: {
        dtype: 'int32',
        shape: [1, 8],
        data: Int32Array.from([0, 0, 0, 0, 0, 1, 1, 0]),
      },
      attentionMask: {
        dtype: 'bool',
        shape: [1, 8],
        data: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]),
      },
      maskedPositions: { dtype: 'int32', shape: [1, 3], data: Int32Array.from([3, 5, 0]) },
      maskedIds: { dtype: 'int32', shape: [1, 3], data: Int32Array.from([4, 3, 0]) },
      maskedWeights: { dtype: 'float32', shape: [1, 3], data: Float32Array.from([1, 1, 0]) },
      nextSentenceLabels: { dtype: 'int32', shape: [1], data: Int32Array.from([1]) },
    },
    counts: { maskedLm: 2, nextSentence: 1 },
  };
}

/** A GLM-shaped batch: 2-D positions [B, 2, L] and an additive prefix-LM attention bias [B, L, L]. */
function glmLikeBatch(): ObjectiveBatchV1 {
  const length = 5;
  const bias = new Float32Array(length * length);
  for (let query = 0; query < length; query++) {
    for (let key = 0; key < length; key++) {
      bias[query * length + key] = key < 3 || key <= query ? 0 : -1e9;
    }
  }
  return {
    size: 1,
    dimensions: { batch: 1, sequence: length },
    fields: {
      inputIds: { dtype: 'int32', shape: [1, length], data: Int32Array.from([1, 9, 2, 8, 3]) },
      labels: {
        dtype: 'int32',
        shape: [1, length],
        data: Int32Array.from([-100, -100, -100, 3, 4]),
      },
      positionIds: {
        dtype: 'int32',
        shape: [1, 2, length],
        data: Int32Array.from([0, 1, 2, 1, 1, 0, 0, 0, 1, 2]),
      },
      attentionBias: { dtype: 'float32', shape: [1, length, length], data: bias },
      lossWeights: {
        dtype: 'float32',
        shape: [1, length],
        data: Float32Array.from([0, 0, 0, 0.5, 2]),
      },
    },
    counts: { blanks: 2 },
  };
}

describe('explainBatch', () => {
  it('falls back to the declared fields for an objective without the hook: ids, labels (−100 ignored), the padding mask', () => {
    const batch = makeTinyBatch([Int32Array.from([1, 2, 3]), Int32Array.from([4, 5])]);
    const explanation = explainBatch({ objectiveId: 'acme/next-token' }, batch, { decode });
    expect(explanation.source).toBe('fields');
    expect(explanation.objectiveId).toBe('acme/next-token');
    expect(explanation.rows[1]).toEqual({
      row: 1,
      facts: {},
      tokens: [
        { index: 0, token: 'd', inputId: 4, label: 4, weight: 1, attention: 'attends' },
        { index: 1, token: 'e', inputId: 5, label: 5, weight: 1, attention: 'attends' },
        { index: 2, token: ' ', inputId: 0, label: null, weight: 0, attention: 'none (padding)' },
      ],
    });
  });

  it('falls back on a BERT-shaped batch: gathered labels at masked positions, segments, the NSP label as a row fact', () => {
    const explanation = explainBatch({ objectiveId: 'acme/bert-like' }, bertLikeBatch());
    const row = explanation.rows[0]!;
    expect(row.facts).toEqual({ nextSentenceLabels: 1 });
    expect(row.tokens.map((token) => token.label)).toEqual([
      null,
      null,
      null,
      4,
      null,
      3,
      null,
      null,
    ]);
    expect(row.tokens.map((token) => token.weight)).toEqual([0, 0, 0, 1, 0, 1, 0, 0]);
    expect(row.tokens.map((token) => token.segment)).toEqual([0, 0, 0, 0, 0, 1, 1, 0]);
    expect(row.tokens[7]!.attention).toBe('none (padding)');
  });

  it('falls back on a GLM-shaped batch: two position ids per token, the attention bias in words, weights', () => {
    const row = explainBatch({ objectiveId: 'acme/glm-like' }, glmLikeBatch()).rows[0]!;
    expect(row.tokens.map((token) => token.positions)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(row.tokens.map((token) => token.attention)).toEqual([
      '< 3',
      '< 3',
      '≤ self',
      '≤ self',
      'all',
    ]);
    expect(row.tokens.map((token) => token.weight)).toEqual([0, 0, 0, 0.5, 2]);
  });

  it("prefers a first-party objective's own explainBatch over the name guessing (the next-token mock shifts its labels)", () => {
    const objective = createTinyObjective();
    const batch = makeTinyBatch([Int32Array.from([1, 2, 3]), Int32Array.from([4, 5])]);
    const explanation = explainBatch(objective, batch, { decode });
    expect(explanation.source).toBe('objective');
    // The objective knows each position predicts the next token; the field guessing would say
    // every real token is its own label.
    expect(
      explanation.rows[1]!.tokens.map((token) => [token.token, token.label, token.action]),
    ).toEqual([
      ['d', 5, 'context'],
      ['e', null, 'context'],
      [' ', null, 'padding'],
    ]);
  });

  it("uses the objective's explainBatch hook when it has one", () => {
    const batch = makeTinyBatch([Int32Array.from([1, 2, 3])]);
    const objective = {
      objectiveId: 'acme/with-hook',
      explainBatch: (given: typeof batch): ObjectiveBatchExplanation => ({
        rows: [
          {
            facts: { spanOrder: '2,1' },
            tokens: Array.from(given.fields.inputIds.data, (inputId, index) => ({
              inputId,
              label: index === 0 ? null : inputId,
              weight: index === 0 ? 0 : 1,
              action: index === 0 ? 'prompt' : 'completion',
              ...(index === 2 ? { originalId: 9 } : {}),
            })),
          },
        ],
      }),
    };
    const explanation = explainBatch(objective, batch, { decode });
    expect(explanation.source).toBe('objective');
    expect(explanation.rows[0]!.tokens[2]).toEqual({
      index: 2,
      token: 'c',
      inputId: 3,
      label: 3,
      weight: 1,
      action: 'completion',
      originalId: 9,
    });
    expect(explanation.rows[0]!.facts).toEqual({ spanOrder: '2,1' });
  });

  it('formats an explanation as aligned text, leaving out empty columns', () => {
    const explanation = explainBatch({ objectiveId: 'acme/bert-like' }, bertLikeBatch(), {
      decode,
    });
    expect(formatBatchExplanation(explanation, { decode })).toBe(
      [
        'acme/bert-like (inferred from the batch fields)',
        '',
        'row 0 · 2 of 8 positions scored · nextSentenceLabels 1',
        '#  token   id  label  weight  segment  attention',
        '0  <101>  101  ·           0        0  attends',
        '1  a        1  ·           0        0  attends',
        '2  b        2  ·           0        0  attends',
        '3  <103>  103  4 d         1        0  attends',
        '4  <102>  102  ·           0        0  attends',
        '5  c        3  3 c         1        1  attends',
        '6  <102>  102  ·           0        1  attends',
        '7  ␣        0  ·           0        0  none (padding)',
      ].join('\n'),
    );
    const scored = formatBatchExplanation(explanation, { scoredOnly: true }).split('\n');
    expect(scored.slice(4)).toEqual([
      '3  <103>  103  4           1        0  attends',
      '5  c        3  3           1        1  attends',
    ]);
  });

  it('explains only the rows asked for, and names what is wrong', () => {
    const objective = createTinyObjective();
    const batch = makeTinyBatch([Int32Array.from([1, 2]), Int32Array.from([3])]);
    expect(explainBatch(objective, batch, { rows: [1] }).rows.map((row) => row.row)).toEqual([1]);
    expect(() => explainBatch(objective, batch, { rows: [2] })).toThrow(
      /explainBatch: argument 'options.rows' is invalid. Expected row indices in \[0, 2\)/,
    );
    expect(() =>
      explainBatch({ objectiveId: 'acme/bad', explainBatch: () => ({ rows: [] }) }, batch),
    ).toThrow(/one row per batch row \(2\)/);
    const floats: ObjectiveBatchV1 = {
      size: 1,
      dimensions: {},
      fields: { values: { dtype: 'float32', shape: [1, 2], data: new Float32Array(2) } },
      counts: {},
    };
    expect(() => explainBatch({ objectiveId: 'acme/none' }, floats)).toThrow(/input ids/);
  });
});

describe('summarizeAttention', () => {
  it('names the usual mask shapes in words', () => {
    expect(summarizeAttention([true, true, true], 1)).toBe('all');
    expect(summarizeAttention([false, false, false], 1)).toBe('none');
    expect(summarizeAttention([true, true, false, false], 1)).toBe('≤ self');
    expect(summarizeAttention([true, true, false, false], 3)).toBe('< 2');
    expect(summarizeAttention([false, true, false, true], 3)).toBe('2 of 4');
  });
});
