import { createRng, embeddingLookup, resolveObjective } from '@lm-objectives/core';
import {
  decodeArray,
  describeEachBackend,
  type EncodedArray,
  expectRelativelyClose,
  readGolden,
} from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { seededNormal } from '../../test/helpers';
import type { ConditionalExample } from './conditional-example';
import type { ConditionalLmOptions } from './conditional-lm-options';
import { createConditionalLmObjective } from './create-conditional-lm-objective';

interface GoldenCase {
  name: string;
  examples: ConditionalExample[];
  options: ConditionalLmOptions;
  vocabularySize: number;
  numItemsInBatch?: number;
  logits?: EncodedArray;
  hiddenStates?: EncodedArray;
  weight?: EncodedArray;
  bias?: EncodedArray;
  layout?: 'hidden-by-vocab' | 'vocab-by-hidden';
  expected: {
    sum: number;
    count: number;
    loss: number;
    gradLogits?: EncodedArray;
    gradHiddenStates?: EncodedArray;
    gradWeight?: EncodedArray;
  };
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/conditional-lm.golden.json', import.meta.url),
);

const tensorOf = (encoded: EncodedArray) =>
  tf.tensor(decodeArray(encoded) as Float32Array, encoded.shape, 'float32');
const random = createRng(0);

describeEachBackend('createConditionalLmObjective', () => {
  it('is a v1 LossObjective with id lora/conditional-lm and one part, conditionalLm', () => {
    const objective = createConditionalLmObjective({ eosTokenId: 2 });
    expect(resolveObjective(objective)).toBe(objective);
    expect(objective.objectiveId).toBe('lora/conditional-lm');
    expect(objective.partNames).toEqual(['conditionalLm']);
    expect(Object.keys(objective.batchFields)).toEqual([
      'inputIds',
      'labels',
      'attentionMask',
      'positionIds',
      'exampleIds',
      'scoredPositions',
      'scoredLabels',
    ]);
    expect(objective.explainBatch).toBeTypeOf('function');
  });

  it.each(golden.cases.map((item) => [item.name, item] as const))(
    'matches float64 PyTorch (loss within 1e-5, gradients within 1e-4 of the largest): %s',
    (_, item) => {
      const objective = createConditionalLmObjective({
        ...item.options,
        vocabularySize: item.vocabularySize,
      });
      const batch = objective.createBatch(item.examples, { random });
      expect(batch.counts.conditionalLm).toBe(item.expected.count);
      const numItemsInBatch =
        item.numItemsInBatch === undefined ? undefined : { conditionalLm: item.numItemsInBatch };
      if (item.logits) {
        const logits = tensorOf(item.logits);
        const gradient = tf.grad((input: tf.Tensor) => {
          const result = objective.computeLoss({
            outputs: { logits: input },
            batch,
            numItemsInBatch,
          });
          tf.dispose([
            result.parts.conditionalLm.sum,
            result.parts.conditionalLm.count,
            ...Object.values(result.metrics),
          ]);
          return result.loss;
        })(logits);
        const result = objective.computeLoss({ outputs: { logits }, batch, numItemsInBatch });
        expectRelativelyClose(result.loss.dataSync(), [item.expected.loss], 1e-5, 'loss');
        expectRelativelyClose(
          result.parts.conditionalLm.sum.dataSync(),
          [item.expected.sum],
          1e-5,
          'sum',
        );
        expect(result.parts.conditionalLm.count.dataSync()[0]).toBe(item.expected.count);
        expect(result.metrics['scoredTokens']!.dataSync()[0]).toBe(item.expected.count);
        expect(result.metrics['droppedExamples']!.dataSync()[0]).toBe(batch.dropped);
        const accuracy = result.metrics['accuracy']!.dataSync()[0]!;
        expect(accuracy).toBeGreaterThanOrEqual(0);
        expect(accuracy).toBeLessThanOrEqual(1);
        expectRelativelyClose(
          gradient.dataSync(),
          decodeArray(item.expected.gradLogits!),
          1e-4,
          'dlogits',
        );
        tf.dispose([
          logits,
          gradient,
          result.loss,
          result.parts.conditionalLm.sum,
          result.parts.conditionalLm.count,
          ...Object.values(result.metrics),
        ]);
      } else {
        const hiddenStates = tensorOf(item.hiddenStates!);
        const weight = tensorOf(item.weight!);
        const bias = item.bias ? tensorOf(item.bias) : undefined;
        const lossOf = (states: tf.Tensor, projectionWeight: tf.Tensor) => {
          const result = objective.computeLoss({
            outputs: {
              hiddenStates: states,
              projection: {
                weight: projectionWeight,
                layout: item.layout!,
                ...(bias ? { bias } : {}),
              },
            },
            batch,
            numItemsInBatch,
          });
          expect(result.metrics['accuracy']).toBeUndefined();
          tf.dispose([
            result.parts.conditionalLm.sum,
            result.parts.conditionalLm.count,
            ...Object.values(result.metrics),
          ]);
          return result.loss;
        };
        const loss = lossOf(hiddenStates, weight);
        expectRelativelyClose(loss.dataSync(), [item.expected.loss], 1e-5, 'loss');
        const [gradStates, gradWeight] = tf.grads(lossOf)([hiddenStates, weight]);
        expectRelativelyClose(
          gradStates!.dataSync(),
          decodeArray(item.expected.gradHiddenStates!),
          1e-4,
          'dh',
        );
        expectRelativelyClose(
          gradWeight!.dataSync(),
          decodeArray(item.expected.gradWeight!),
          1e-4,
          'dW',
        );
        tf.dispose(
          [hiddenStates, weight, bias, loss, gradStates, gradWeight].filter(
            (t): t is tf.Tensor => t !== undefined,
          ),
        );
      }
    },
  );

  it('accumulates micro-batches with numItemsInBatch to exactly the loss and gradient of one big batch', () => {
    const objective = createConditionalLmObjective({ eosTokenId: 2 });
    const examples: ConditionalExample[] = [
      { prompt: [3, 4], completion: [5] },
      { prompt: [8], completion: [9] },
      { prompt: [1, 2, 3, 4], completion: [10, 11, 7, 6, 5, 4] },
      { prompt: [12], completion: [13, 14, 15, 1, 2, 3, 9] },
    ];
    const vocabulary = 16;
    const big = objective.createBatch(examples, { random });
    const halves = [
      objective.createBatch(examples.slice(0, 2), { random }),
      objective.createBatch(examples.slice(2), { random }),
    ];
    const total = halves[0]!.counts.conditionalLm + halves[1]!.counts.conditionalLm;
    expect(total).toBe(big.counts.conditionalLm);
    // A tiny "model": logits = embedding[inputIds], so every batch shares one trainable table.
    const table = tf.tidy(() => tf.variable(seededNormal(createRng(3), [vocabulary, vocabulary])));
    const lossFor = (batch: typeof big, numItems?: number) =>
      tf.tidy(() => {
        const ids = tf.tensor2d(
          batch.fields.inputIds.data,
          batch.fields.inputIds.shape as [number, number],
          'int32',
        );
        const logits = embeddingLookup(table, ids);
        const result = objective.computeLoss({
          outputs: { logits },
          batch,
          ...(numItems === undefined ? {} : { numItemsInBatch: { conditionalLm: numItems } }),
        });
        return result.loss;
      });
    const bigGradient = tf.variableGrads(() => lossFor(big), [table]);
    const accumulated = halves.map((half) => tf.variableGrads(() => lossFor(half, total), [table]));
    const accumulatedLoss =
      accumulated[0]!.value.dataSync()[0]! + accumulated[1]!.value.dataSync()[0]!;
    expect(accumulatedLoss).toBeCloseTo(bigGradient.value.dataSync()[0]!, 5);
    const summed = tf.add(accumulated[0]!.grads[table.name]!, accumulated[1]!.grads[table.name]!);
    expectRelativelyClose(
      summed.dataSync(),
      bigGradient.grads[table.name]!.dataSync(),
      1e-5,
      'accumulated gradient',
    );
    // The mean of means differs: the bug numItemsInBatch prevents.
    const meanOfMeans = tf.tidy(
      () => (lossFor(halves[0]!).dataSync()[0]! + lossFor(halves[1]!).dataSync()[0]!) / 2,
    );
    expect(Math.abs(meanOfMeans - bigGradient.value.dataSync()[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([table, summed, bigGradient.value, ...Object.values(bigGradient.grads)]);
    for (const { value, grads } of accumulated) tf.dispose([value, ...Object.values(grads)]);
  });

  it("refuses outputs whose rows are not the batch's [batch, sequence], naming the dimension", () => {
    const objective = createConditionalLmObjective({ eosTokenId: 2 });
    const batch = objective.createBatch([{ prompt: [3, 4], completion: [5] }], { random }); // [1, 4]
    const logits = tf.zeros([1, 5, 8]);
    const hiddenStates = tf.zeros([2, 4, 3]);
    const weight = tf.zeros([3, 8]);
    expect(() => objective.computeLoss({ outputs: { logits }, batch })).toThrow(
      /outputs\.logits.*'sequence' must be 4/,
    );
    expect(() =>
      objective.computeLoss({
        outputs: { hiddenStates, projection: { weight, layout: 'hidden-by-vocab' } },
        batch,
      }),
    ).toThrow(/outputs\.hiddenStates.*'batch' must be 1/);
    tf.dispose([logits, hiddenStates, weight]);
  });

  it('gives a loss of 0, never NaN, for a batch whose examples were all dropped', () => {
    const objective = createConditionalLmObjective({ eosTokenId: 2, maxLength: 2 });
    const batch = objective.createBatch([{ prompt: [3, 4, 5], completion: [6] }], { random });
    expect(batch.size).toBe(0);
    const logits = tf.zeros([0, 0, 8]);
    const result = objective.computeLoss({ outputs: { logits }, batch });
    expect(result.loss.dataSync()[0]).toBe(0);
    expect(result.parts.conditionalLm.count.dataSync()[0]).toBe(0);
    expect(result.metrics['droppedExamples']!.dataSync()[0]).toBe(1);
    tf.dispose([
      logits,
      result.loss,
      result.parts.conditionalLm.sum,
      result.parts.conditionalLm.count,
      ...Object.values(result.metrics),
    ]);
  });

  it('scores EOS when pad = EOS: the loss changes with the logit of EOS at the last completion position', () => {
    const objective = createConditionalLmObjective({ eosTokenId: 1 });
    const batch = objective.createBatch(
      [
        { prompt: [2], completion: [3] },
        { prompt: [2, 2, 2], completion: [3] },
      ],
      { random },
    );
    // Row 0 is [2, 3, 1(EOS), 1(pad), 1(pad)]: position 1 must predict EOS.
    const base = tf.zeros([2, 5, 4]);
    const logitsWithEos = tf.tidy(() => {
      const values = new Float32Array(2 * 5 * 4);
      values[(0 * 5 + 1) * 4 + 1] = 5; // row 0, position 1, class 1 (EOS)
      return tf.tensor3d(values, [2, 5, 4]);
    });
    const plain = objective.computeLoss({ outputs: { logits: base }, batch });
    const favoured = objective.computeLoss({ outputs: { logits: logitsWithEos }, batch });
    expect(favoured.loss.dataSync()[0]!).toBeLessThan(plain.loss.dataSync()[0]!);
    for (const result of [plain, favoured]) {
      tf.dispose([
        result.loss,
        result.parts.conditionalLm.sum,
        result.parts.conditionalLm.count,
        ...Object.values(result.metrics),
      ]);
    }
    tf.dispose([base, logitsWithEos]);
  });
});
