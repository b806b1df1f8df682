import { createRng, IGNORE_INDEX } from '@lm-objectives/core';
import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createMockNextTokenObjective } from './create-mock-next-token-objective';
import { createTinyLanguageModel } from './create-tiny-language-model';
import { createTokenSequences } from './create-token-sequences';
import { describeObjectiveConformance } from './describe-objective-conformance';

const random = createRng(0);

describeEachBackend('createMockNextTokenObjective', () => {
  it('pads rows, labels every real token with itself and counts the tokens that have a successor', () => {
    const objective = createMockNextTokenObjective({ vocabularySize: 12, padTokenId: 11 });
    const batch = objective.createBatch([[2, 3, 4, 5], Int32Array.from([6, 7])], { random });
    expect(batch.dimensions).toEqual({ batch: 2, sequence: 4 });
    expect(Array.from(batch.fields.inputIds.data)).toEqual([2, 3, 4, 5, 6, 7, 11, 11]);
    const ignored = IGNORE_INDEX;
    expect(Array.from(batch.fields.labels.data)).toEqual([2, 3, 4, 5, 6, 7, ignored, ignored]);
    expect(Array.from(batch.fields.attentionMask.data)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(batch.counts.nextToken).toBe(3 + 1);
  });

  it('scores -log softmax(z_t)[x_(t+1)] over the positions with a real successor, matching float64 to 1e-6', () => {
    const objective = createMockNextTokenObjective({ vocabularySize: 5 });
    const batch = objective.createBatch(
      [
        [1, 2, 3],
        [4, 1],
      ],
      { random },
    );
    const draw = createRng(4);
    const values = Float32Array.from({ length: 2 * 3 * 5 }, () => draw.normal(0, 2));
    const logits = tf.tensor(values, [2, 3, 5]);
    // Reference: rows (1→2, 2→3) and (4→1); the last position and padding predict nothing.
    const pairs = [
      [0, 2],
      [1, 3],
      [3, 1],
    ] as const;
    let sum = 0;
    for (const [position, target] of pairs) {
      const row = Array.from(values.subarray(position * 5, position * 5 + 5));
      const top = Math.max(...row);
      sum += top + Math.log(row.reduce((total, z) => total + Math.exp(z - top), 0)) - row[target]!;
    }
    for (const normaliser of [undefined, 10]) {
      const result = objective.computeLoss({
        outputs: { logits },
        batch,
        ...(normaliser === undefined ? {} : { numItemsInBatch: { nextToken: normaliser } }),
      });
      const part = result.parts.nextToken;
      expect(Math.abs(part.sum.dataSync()[0]! - sum)).toBeLessThan(1e-6 * sum);
      expect(Math.abs(result.loss.dataSync()[0]! - sum / (normaliser ?? 3))).toBeLessThan(
        1e-6 * sum,
      );
      expect(part.count.dataSync()[0]).toBe(3);
      tf.dispose([result.loss, part.sum, part.count, ...Object.values(result.metrics)]);
    }
    logits.dispose();
  });

  it('explains each position: its input id, the next token as its label, padding as padding', () => {
    const objective = createMockNextTokenObjective({ vocabularySize: 6 });
    const batch = objective.createBatch(
      [
        [1, 2, 3],
        [4, 5],
      ],
      { random },
    );
    const explained = objective.explainBatch!(batch);
    expect(explained.rows[0]!.tokens.map((token) => token.label)).toEqual([2, 3, null]);
    expect(explained.rows[1]!.tokens.map((token) => [token.label, token.action])).toEqual([
      [5, 'context'],
      [null, 'context'],
      [null, 'padding'],
    ]);
  });

  it('refuses ids outside the vocabulary, empty rows and bad options, naming the argument', () => {
    const objective = createMockNextTokenObjective({ vocabularySize: 6 });
    expectInvalidArgument(
      () =>
        objective.createBatch(
          [
            [1, 2],
            [3, 6],
          ],
          { random },
        ),
      'mock/next-token createBatch',
      'examples[1][1]',
      ['an integer in [0, 6)'],
    );
    expectInvalidArgument(
      () => objective.createBatch([[]], { random }),
      'mock/next-token createBatch',
      'examples[0]',
    );
    expectInvalidArgument(
      () => createMockNextTokenObjective({ vocabularySize: 4, padTokenId: 4 }),
      'createMockNextTokenObjective',
      'options.padTokenId',
    );
    expectInvalidArgument(
      () => createMockNextTokenObjective({ pad_token_id: 1 } as never),
      'createMockNextTokenObjective',
      'options.pad_token_id',
      ["did you mean 'padTokenId'?"],
    );
  });
});

describeObjectiveConformance(
  'mock/next-token',
  () => createMockNextTokenObjective({ vocabularySize: 12 }),
  () => ({
    examples: createTokenSequences({
      count: 4,
      minLength: 2,
      maxLength: 7,
      vocabularySize: 12,
      seed: 2,
    }),
    model: createTinyLanguageModel({ vocabularySize: 12, seed: 3 }).logitModel('inputIds'),
    zeroCountExamples: [[5]],
    invalidExamples: [{ description: 'an empty row', examples: [[]] }],
  }),
);
