import { expectInvalidArgument } from '@lm-objectives/test-utils';
import { describe, expect, it } from 'vitest';
import {
  WORKED_ORDER,
  WORKED_SPANS,
  WORKED_TEXT,
  WORKED_TOKEN_IDS,
} from '../../test/worked-examples';
import { createGlmBatch } from './create-glm-batch';
import { createGlmSampleBuilder } from './create-glm-sample-builder';
import { glmAttentionMask } from './glm-attention-mask';

// The attention matrix of the reference's worked example (row = query, 1 = may attend), verbatim.
const REFERENCE_MATRIX = `
 0  1 1 1 1 1 1 . . . . .
 1  1 1 1 1 1 1 . . . . .
 2  1 1 1 1 1 1 . . . . .
 3  1 1 1 1 1 1 . . . . .
 4  1 1 1 1 1 1 . . . . .
 5  1 1 1 1 1 1 . . . . .
 6  1 1 1 1 1 1 1 . . . .
 7  1 1 1 1 1 1 1 1 . . .
 8  1 1 1 1 1 1 1 1 1 . .
 9  1 1 1 1 1 1 1 1 1 1 .
10  1 1 1 1 1 1 1 1 1 1 1
`;

function parseMatrix(text: string): number[][] {
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/\s+/)
        .slice(1)
        .map((cell) => (cell === '1' ? 1 : 0)),
    );
}

function matrixOf(data: Uint8Array, row: number, length: number): number[][] {
  return Array.from({ length }, (_, query) =>
    Array.from(data.subarray((row * length + query) * length, (row * length + query + 1) * length)),
  );
}

const TOKENS = WORKED_TOKEN_IDS;

describe('glmAttentionMask', () => {
  it('reproduces the full attention matrix of the worked example', () => {
    const builder = createGlmSampleBuilder(TOKENS);
    const sample = builder.buildWithSpans(WORKED_TEXT, {
      spans: WORKED_SPANS,
      order: WORKED_ORDER,
    });
    const mask = glmAttentionMask([sample.sep], sample.inputIds.length);
    expect(mask.dtype).toBe('bool');
    expect(mask.shape).toEqual([1, 11, 11]);
    expect(matrixOf(mask.data, 0, 11)).toEqual(parseMatrix(REFERENCE_MATRIX));
  });

  it('equals the rule j < sep or j ≤ i for every row of a padded batch', () => {
    const builder = createGlmSampleBuilder({ ...TOKENS, spanProbability: 0.5 });
    const random = (seed: number) => {
      let state = seed;
      return () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state;
      };
    };
    const next = random(9);
    const samples = Array.from({ length: 6 }, (_, index) =>
      builder.buildDocument(
        Array.from({ length: 5 + index * 3 }, () => 20 + (next() % 30)),
        { generationLength: 2 + index },
      ),
    );
    const batch = createGlmBatch(samples, TOKENS);
    const length = batch.dimensions['sequence']!;
    const mask = glmAttentionMask(batch);
    expect(mask.shape).toEqual([6, length, length]);
    samples.forEach((sample, row) => {
      const expected = Array.from({ length }, (_, query) =>
        Array.from({ length }, (_, key) => (key < sample.sep || key <= query ? 1 : 0)),
      );
      expect(matrixOf(mask.data, row, length)).toEqual(expected);
      // Right padding is harmless: no real query (i < its length) sees a padding key.
      for (let query = 0; query < sample.inputIds.length; query++) {
        for (let key = sample.inputIds.length; key < length; key++) {
          expect(mask.data[(row * length + query) * length + key]).toBe(0);
        }
      }
    });
  });

  it('takes sep = 0 (fully causal) and sep = L (fully bidirectional)', () => {
    const mask = glmAttentionMask([0, 3], 3);
    expect(matrixOf(mask.data, 0, 3)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(matrixOf(mask.data, 1, 3)).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('refuses separators beyond the length, empty separators and a bad length', () => {
    const expectInvalid = (action: () => unknown, argument: string) =>
      expectInvalidArgument(action, 'glmAttentionMask', argument);
    expectInvalid(() => glmAttentionMask([2, 5], 4), 'separators[1]');
    expectInvalid(() => glmAttentionMask([], 4), 'separators');
    expectInvalid(() => glmAttentionMask([1], 0), 'length');
    expectInvalid(() => glmAttentionMask([1], undefined as never), 'length');
  });
});
