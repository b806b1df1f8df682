import {
  createRng,
  IGNORE_INDEX,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeOnBackends } from '../test/each-backend';
import { createElectraObjective } from './create-electra-objective';
import type { ElectraBatch } from './electra-batch';

// computeLoss reads only the batch: the ids only have to be distinct and inside V = 3.
const objective = () =>
  createElectraObjective({ vocabularySize: 3, maskTokenId: 0, padTokenId: 1, maskRatio: 0.5 });

/** One row of three tokens; position 1 was masked (original id 2) and replaced. */
const handBatch: ElectraBatch = {
  size: 1,
  dimensions: { batch: 1, sequence: 3 },
  fields: {
    generatorInputIds: { dtype: 'int32', shape: [1, 3], data: Int32Array.from([1, 0, 2]) },
    generatorLabels: {
      dtype: 'int32',
      shape: [1, 3],
      data: Int32Array.from([IGNORE_INDEX, 2, IGNORE_INDEX]),
    },
    discriminatorInputIds: { dtype: 'int32', shape: [1, 3], data: Int32Array.from([1, 1, 2]) },
    discriminatorLabels: { dtype: 'int32', shape: [1, 3], data: Int32Array.from([0, 1, 0]) },
    attentionMask: { dtype: 'bool', shape: [1, 3], data: Uint8Array.from([1, 1, 1]) },
  },
  counts: { generator: 1, discriminator: 3 },
};

/** float64 reference of L = L_MLM + λ L_Disc on any batch. */
function referenceLoss(
  batch: ElectraBatch,
  generatorLogits: Float32Array,
  discriminatorLogits: Float32Array,
  vocabularySize: number,
  lambda: number,
) {
  let generatorSum = 0;
  batch.fields.generatorLabels.data.forEach((label, at) => {
    if (label === IGNORE_INDEX) return;
    const row = Array.from(
      { length: vocabularySize },
      (_, v) => generatorLogits[at * vocabularySize + v]!,
    );
    const top = Math.max(...row);
    generatorSum +=
      top + Math.log(row.reduce((sum, z) => sum + Math.exp(z - top), 0)) - row[label]!;
  });
  let discriminatorSum = 0;
  batch.fields.discriminatorLabels.data.forEach((label, at) => {
    if (!batch.fields.attentionMask.data[at]) return;
    const z = discriminatorLogits[at]!;
    const probability = 1 / (1 + Math.exp(-z));
    discriminatorSum += -(label * Math.log(probability) + (1 - label) * Math.log(1 - probability));
  });
  const generator = generatorSum / batch.counts.generator;
  const discriminator = discriminatorSum / batch.counts.discriminator;
  return { generator, discriminator, total: generator + lambda * discriminator };
}

describeOnBackends('createElectraObjective: tensor side', () => {
  it('gives L = ln 2 + 50 · (ln 2 + 2 ln(4/3)) / 3 on a hand-derived example', () => {
    const electra = objective();
    const generatorLogits = tf.tensor3d([
      [
        [0, 0, 0],
        [0, Math.log(2), Math.log(3)],
        [0, 0, 0],
      ],
    ]);
    const discriminatorLogits = tf.tensor2d([[0, Math.log(3), -Math.log(3)]]);
    const result = electra.computeLoss({
      outputs: { generatorLogits, discriminatorLogits },
      batch: handBatch,
    });
    // softmax [0, ln 2, ln 3] = [1, 2, 3] / 6, label 2: −ln(1/2) = ln 2.
    expect(result.parts.generator.loss.dataSync()[0]).toBeCloseTo(Math.LN2, 6);
    // ℓ = softplus(z) − y z: ln 2 (z = 0, y = 0), ln(4/3) (z = ln 3, y = 1), ln(4/3) (z = −ln 3, y = 0).
    const discriminator = (Math.LN2 + 2 * Math.log(4 / 3)) / 3;
    expect(result.parts.discriminator.loss.dataSync()[0]).toBeCloseTo(discriminator, 6);
    expect(result.loss.dataSync()[0]).toBeCloseTo(Math.LN2 + 50 * discriminator, 4);
    tf.dispose([
      generatorLogits,
      discriminatorLogits,
      result.loss,
      ...Object.values(result.parts).flatMap((p) => [p.loss, p.sum, p.count]),
      ...Object.values(result.metrics),
    ]);
  });

  it('has the hand-derived gradient λ (σ(z) − y) / n on the discriminator logits', () => {
    const electra = objective();
    const generatorLogits = tf.zeros([1, 3, 3]);
    const discriminatorLogits = tf.tensor2d([[0, Math.log(3), -Math.log(3)]]);
    const gradient = tf.grad(
      (logits: tf.Tensor) =>
        electra.computeLoss({
          outputs: { generatorLogits, discriminatorLogits: logits },
          batch: handBatch,
        }).loss,
    )(discriminatorLogits);
    const expected = [0.5 - 0, 0.75 - 1, 0.25 - 0].map((value) => (50 * value) / 3);
    gradient.dataSync().forEach((value, index) => {
      expect(value).toBeCloseTo(expected[index]!, 4);
    });
    tf.dispose([generatorLogits, discriminatorLogits, gradient]);
  });

  it('matches a float64 reference on a seeded batch to 1e-5 relative, with and without numItemsInBatch', () => {
    const electra = createElectraObjective({
      vocabularySize: 12,
      maskTokenId: 1,
      padTokenId: 0,
      specialTokenIds: [2, 3],
      maskRatio: 0.3,
    });
    const random = createRng(4);
    const texts = [
      [2, 4, 5, 6, 7, 8, 9, 3],
      [2, 10, 11, 3],
      [2, 5, 7, 9, 11, 3],
    ];
    const batch = electra.createBatch(texts, { random });
    const [size, length] = [batch.size, batch.dimensions['sequence']!];
    const generatorValues = Float32Array.from({ length: size * length * 12 }, () =>
      random.normal(0, 2),
    );
    const discriminatorValues = Float32Array.from({ length: size * length }, () =>
      random.normal(0, 3),
    );
    const generatorLogits = tf.tensor(generatorValues, [size, length, 12]);
    const discriminatorLogits = tf.tensor(discriminatorValues, [size, length]);
    const reference = referenceLoss(batch, generatorValues, discriminatorValues, 12, 50);
    const result = electra.computeLoss({
      outputs: { generatorLogits, discriminatorLogits },
      batch,
    });
    expect(Math.abs(result.loss.dataSync()[0]! - reference.total)).toBeLessThan(
      1e-5 * reference.total,
    );
    expect(Math.abs(result.parts.generator.loss.dataSync()[0]! - reference.generator)).toBeLessThan(
      1e-5 * reference.generator,
    );
    const window = { generator: 2 * batch.counts.generator, discriminator: 40 };
    const windowed = electra.computeLoss({
      outputs: { generatorLogits, discriminatorLogits },
      batch,
      numItemsInBatch: window,
    });
    const expectedWindowed =
      reference.generator / 2 + (50 * reference.discriminator * batch.counts.discriminator) / 40;
    expect(Math.abs(windowed.loss.dataSync()[0]! - expectedWindowed)).toBeLessThan(
      1e-5 * expectedWindowed,
    );
    for (const r of [result, windowed]) {
      tf.dispose([
        r.loss,
        ...Object.values(r.parts).flatMap((p) => [p.loss, p.sum, p.count]),
        ...Object.values(r.metrics),
      ]);
    }
    tf.dispose([generatorLogits, discriminatorLogits]);
  });

  it('refuses logits of the wrong shape, naming the argument and the dimension', () => {
    const electra = objective();
    const rightGenerator = tf.zeros([1, 3, 3]);
    const wrongDiscriminator = tf.zeros([1, 4]);
    const wrongGenerator = tf.zeros([1, 3, 4]);
    const rightDiscriminator = tf.zeros([1, 3]);
    const messageOf = (outputs: { generatorLogits: tf.Tensor; discriminatorLogits: tf.Tensor }) => {
      try {
        electra.computeLoss({ outputs, batch: handBatch });
      } catch (error) {
        expect(ShapeMismatchError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected computeLoss to throw');
    };
    expect(
      messageOf({ generatorLogits: rightGenerator, discriminatorLogits: wrongDiscriminator }),
    ).toContain(
      "electra/replaced-token-detection computeLoss: argument 'outputs.discriminatorLogits' has the wrong shape. Expected a float32 tensor of shape [batch=1, sequence=3]; received a float32 tensor of shape [1, 4]: 'sequence' must be 3 but is 4 here.",
    );
    expect(
      messageOf({ generatorLogits: wrongGenerator, discriminatorLogits: rightDiscriminator }),
    ).toContain(
      "argument 'outputs.generatorLogits' has the wrong shape. Expected a float32 tensor of shape [batch=1, sequence=3, vocabulary=3]; received a float32 tensor of shape [1, 3, 4]: 'vocabulary' must be 3 but is 4 here.",
    );
    tf.dispose([rightGenerator, wrongDiscriminator, wrongGenerator, rightDiscriminator]);
  });
});

it('refuses unknown options and a negative discriminator weight with typed errors', () => {
  expect(() =>
    createElectraObjective({
      vocabularySize: 8,
      maskTokenId: 1,
      padTokenId: 0,
      discriminatorWeight: -1,
    }),
  ).toThrow("createElectraObjective: argument 'options.discriminatorWeight' is invalid");
  let thrown: unknown;
  try {
    createElectraObjective({
      vocabularySize: 8,
      maskTokenId: 1,
      padTokenId: 0,
      lambda: 50,
    } as never);
  } catch (error) {
    thrown = error;
  }
  expect(InvalidArgumentError.isInstance(thrown)).toBe(true);
});

it('refuses a misspelt option with a suggestion, equal [MASK] and [PAD] ids and a zero mask ratio', () => {
  const messageOf = (options: unknown) => {
    try {
      createElectraObjective(options as never);
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('expected createElectraObjective to throw');
  };
  const base = { vocabularySize: 8, maskTokenId: 1, padTokenId: 0 };
  expect(messageOf({ ...base, mask_ratio: 0.2 })).toContain(
    "argument 'options.mask_ratio' is invalid. Expected one of the known options vocabularySize, maskTokenId, padTokenId, specialTokenIds, maskRatio, discriminatorWeight; received an unknown option 'mask_ratio'. Fix: did you mean 'maskRatio'?",
  );
  expect(messageOf({ ...base, maskRate: 0.2 })).toContain("did you mean 'maskRatio'?");
  expect(messageOf({ ...base, padTokenId: 1 })).toContain(
    "argument 'options.padTokenId' is invalid. Expected a token id different from options.maskTokenId (every special token needs its own id); received 1 (options.maskTokenId and options.padTokenId are both 1).",
  );
  expect(messageOf({ ...base, maskRatio: 0 })).toContain(
    "argument 'options.maskRatio' is invalid. Expected a ratio, a finite number in (0, 1]; received 0.",
  );
  expect(messageOf({ ...base, maskTokenId: 8 })).toContain(
    'Expected the token id of [MASK], an integer in [0, 8); received 8.',
  );
  expect(messageOf({ vocabularySize: 8, maskTokenId: 1 })).toContain(
    "argument 'options.padTokenId' is invalid. Expected a value for the required option padTokenId",
  );
});
