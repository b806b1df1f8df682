import { createRng, IGNORE_INDEX } from '@lm-objectives/core';
import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createMockObjective, type MockBatch } from './create-mock-objective';

const PAD = 0;
const MASK = 1;

describeEachBackend('createMockObjective: data side', () => {
  it('masks only ordinary tokens, keeps the original as the label and counts the masked positions', () => {
    const examples = [
      [2, 3, 4, 5, 6, 7],
      [MASK, 8, PAD, 9],
    ];
    const objective = createMockObjective({ vocabularySize: 12, maskProbability: 0.4 });
    const batch = objective.createBatch(examples, { random: createRng(3) });
    expect(batch.dimensions).toEqual({ batch: 2, sequence: 6 });
    const { inputIds, labels, attentionMask } = batch.fields;
    let masked = 0;
    examples.forEach((example, row) => {
      for (let position = 0; position < 6; position++) {
        const at = row * 6 + position;
        const original = example[position];
        expect(attentionMask.data[at]).toBe(original === undefined ? 0 : 1);
        if (labels.data[at] === IGNORE_INDEX) {
          expect(inputIds.data[at]).toBe(original ?? PAD);
        } else {
          masked++;
          expect(labels.data[at]).toBe(original);
          expect(inputIds.data[at]).toBe(MASK);
          expect([PAD, MASK]).not.toContain(original);
        }
      }
    });
    expect(batch.counts.maskedToken).toBe(masked);
    objective.dispose();
  });

  it('masks each ordinary token with probability maskProbability (2000 draws, 5σ tolerance)', () => {
    const mock = createMockObjective({ maskProbability: 0.4 });
    const rows = Array.from({ length: 100 }, () =>
      Array.from({ length: 20 }, (_, i) => 2 + (i % 10)),
    );
    const batch = mock.createBatch(rows, { random: createRng(11) });
    // Binomial(2000, 0.4): mean 800, σ = √(2000 · 0.4 · 0.6) ≈ 21.9.
    expect(Math.abs(batch.counts.maskedToken - 800)).toBeLessThan(5 * 21.9);
    mock.dispose();
  });
});

/** −log softmax(z + β)_y per masked position, averaged over `normaliser`, in float64. */
function referenceLoss(
  logits: Float32Array,
  bias: Float32Array,
  batch: MockBatch,
  normaliser: number,
): { sum: number; loss: number } {
  const vocabularySize = bias.length;
  let sum = 0;
  batch.fields.labels.data.forEach((label, position) => {
    if (label === IGNORE_INDEX) return;
    const row = Array.from(
      { length: vocabularySize },
      (_, v) => logits[position * vocabularySize + v]! + bias[v]!,
    );
    const top = Math.max(...row);
    const logSumExp =
      top + Math.log(row.reduce((total, value) => total + Math.exp(value - top), 0));
    sum += logSumExp - row[label]!;
  });
  return { sum, loss: sum / normaliser };
}

describeEachBackend('createMockObjective: tensor side', () => {
  it('computes the masked-token cross-entropy with its own bias, matching float64 to 1e-6', () => {
    const objective = createMockObjective({ vocabularySize: 10, seed: 5 });
    const batch = objective.createBatch(
      [
        [2, 3, 4, 5],
        [6, 7, 8],
      ],
      { random: createRng(2) },
    );
    expect(batch.counts.maskedToken).toBeGreaterThan(0);
    const random = createRng(9);
    const values = Float32Array.from({ length: 2 * 4 * 10 }, () => random.normal(0, 2));
    const logits = tf.tensor(values, [2, 4, 10]);
    const bias = Float32Array.from(objective.logitBias.dataSync() as Float32Array);
    for (const normaliser of [undefined, 7]) {
      const result = objective.computeLoss({
        outputs: { logits },
        batch,
        ...(normaliser === undefined ? {} : { numItemsInBatch: { maskedToken: normaliser } }),
      });
      const expected = referenceLoss(values, bias, batch, normaliser ?? batch.counts.maskedToken);
      const part = result.parts.maskedToken;
      expect(Math.abs(part.sum.dataSync()[0]! - expected.sum)).toBeLessThan(1e-6 * expected.sum);
      expect(Math.abs(result.loss.dataSync()[0]! - expected.loss)).toBeLessThan(
        1e-6 * expected.loss,
      );
      expect(part.count.dataSync()[0]).toBe(batch.counts.maskedToken);
      tf.dispose([result.loss, part.sum, part.count, ...Object.values(result.metrics)]);
    }
    logits.dispose();
    objective.dispose();
  });

  it('refuses logits of the wrong shape with a ShapeMismatchError naming outputs.logits', () => {
    const objective = createMockObjective({ vocabularySize: 10 });
    const batch = objective.createBatch([[2, 3]], { random: createRng(1) });
    const logits = tf.zeros([1, 2, 11]);
    expectInvalidArgument(
      () => objective.computeLoss({ outputs: { logits }, batch }),
      'mock/masked-token computeLoss',
      'outputs.logits',
      [
        'Expected a float32 tensor of shape [batch=1, sequence=2, vocabulary=10]',
        "received a float32 tensor of shape [1, 2, 11]: 'vocabulary' must be 10 but is 11 here",
      ],
      'shape',
    );
    logits.dispose();
    objective.dispose();
  });
});

it('refuses bad options with typed errors: a misspelt name, a chance above 1, equal [PAD] and [MASK] ids', () => {
  expectInvalidArgument(
    () => createMockObjective({ mask_probability: 0.3 } as never),
    'createMockObjective',
    'options.mask_probability',
    ["did you mean 'maskProbability'?"],
  );
  expectInvalidArgument(
    () => createMockObjective({ maskProbability: 1.5 }),
    'createMockObjective',
    'options.maskProbability',
    ['a probability, a finite number in [0, 1]', 'received 1.5'],
  );
  expectInvalidArgument(
    () => createMockObjective({ padTokenId: 1 }),
    'createMockObjective',
    'options.maskTokenId',
    ['options.padTokenId and options.maskTokenId are both 1'],
  );
});

it('refuses an example with an id outside the vocabulary, naming it as examples[i][j]', () => {
  const objective = createMockObjective({ vocabularySize: 10 });
  expectInvalidArgument(
    () =>
      objective.createBatch(
        [
          [2, 3],
          [4, 10],
        ],
        { random: createRng(1) },
      ),
    'mock/masked-token createBatch',
    'examples[1][1]',
    ['a token id, an integer in [0, 10)', 'received 10'],
  );
  objective.dispose();
});
