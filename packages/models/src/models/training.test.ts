import { createRng, prefixLmAttentionBias, tokenCrossEntropy } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ids,
  normalTensor,
  positions,
  tinyBert,
  tinyDecoder,
  tinyGlm,
} from '../../test/tiny-models';
import type { TransformerModel } from './transformer-model';

/** One forward and backward pass of a token loss; returns the loss and whether every gradient is finite and present. */
function step(model: TransformerModel, loss: () => tf.Scalar) {
  const { value, grads } = tf.variableGrads(loss, model.variables as tf.Variable[]);
  const finite = Object.values(grads).every((gradient) =>
    tf.tidy(() => tf.all(tf.isFinite(gradient)).dataSync()[0] === 1),
  );
  const count = Object.keys(grads).length;
  const result = { loss: value.dataSync()[0]!, finite, count };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

describeEachBackend('forward and backward passes free every intermediate tensor', () => {
  it('the BERT encoder (token types, padding, pooler, dropout) trains leak-free', () => {
    const bert = tinyBert({ pooler: true, hiddenDropout: 0.1, attentionDropout: 0.1 });
    const inputIds = ids([
      [1, 2, 3, 4],
      [5, 6, 7, 0],
    ]);
    const tokenTypeIds = ids([
      [0, 0, 1, 1],
      [0, 1, 1, 0],
    ]);
    const attentionMask = ids([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ]);
    const result = step(bert, () => {
      const outputs = bert.apply(
        { inputIds, tokenTypeIds, attentionMask },
        { training: true, random: createRng(1) },
      );
      const masked = tokenCrossEntropy(outputs, inputIds).loss;
      return tf.add(masked, tf.mean(outputs.pooledOutput!)) as tf.Scalar;
    });
    expect(result.finite).toBe(true);
    expect(result.count).toBe(bert.variables.length);
    tf.dispose([inputIds, tokenTypeIds, attentionMask]);
    bert.dispose();
  });

  it('the GLM encoder (2-D positions, prefix-LM bias, prefix keys/values) trains leak-free', () => {
    const glm = tinyGlm();
    const inputIds = ids([[1, 2, 3, 4, 5]]);
    const positionIds = ids([[0, 1, 2, 2, 2]]);
    const blockPositionIds = ids([[0, 0, 0, 1, 2]]);
    const bias = prefixLmAttentionBias([3], 5);
    const prefix = [0, 1].map((layer) => ({
      key: normalTensor([1, 4, 2, 4], layer),
      value: normalTensor([1, 4, 2, 4], layer + 2),
    }));
    const result = step(
      glm,
      () =>
        tokenCrossEntropy(
          glm.apply({
            inputIds,
            positionIds,
            blockPositionIds,
            attentionBias: bias,
            prefixKeyValues: prefix,
          }),
          inputIds,
        ).loss as tf.Scalar,
    );
    expect(result.finite).toBe(true);
    tf.dispose([
      inputIds,
      positionIds,
      blockPositionIds,
      bias,
      ...prefix.flatMap(({ key, value }) => [key, value]),
    ]);
    glm.dispose();
  });

  it('the causal decoder (shifted loss, padding, a wrapped linear) trains leak-free', () => {
    const decoder = tinyDecoder();
    const unwrap = decoder.wrapLinear('layers.1.attention.value', (x, next) =>
      tf.mul(next(x), 1.5),
    );
    const inputIds = ids([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 0, 0],
    ]);
    const attentionMask = ids([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);
    const result = step(
      decoder,
      () =>
        tokenCrossEntropy(decoder.apply({ inputIds, attentionMask }), inputIds, { shift: true })
          .loss as tf.Scalar,
    );
    expect(result.finite).toBe(true);
    expect(result.loss).toBeGreaterThan(0);
    unwrap();
    tf.dispose([inputIds, attentionMask]);
    decoder.dispose();
  });
});

/** Adam steps on one fixed batch; returns the losses. */
function overfit(model: TransformerModel, loss: () => tf.Scalar, steps: number): number[] {
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let index = 0; index < steps; index++) {
    const value = optimizer.minimize(loss, true, model.variables as tf.Variable[])!;
    losses.push(value.dataSync()[0]!);
    value.dispose();
  }
  optimizer.dispose();
  return losses;
}

describe('each model overfits a tiny batch on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  let tensorsBefore = 0;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(tensorsBefore);
  });
  {
    const random = createRng(2024);
    const rows = Array.from({ length: 4 }, () =>
      Array.from({ length: 8 }, () => random.int(4, 16)),
    );

    it('the causal decoder learns 4 random sequences of 8 tokens (loss < 0.3 · initial after 60 steps)', () => {
      const decoder = tinyDecoder({ seed: 1 });
      const inputIds = ids(rows);
      const losses = overfit(
        decoder,
        () =>
          tokenCrossEntropy(decoder.apply({ inputIds }), inputIds, { shift: true })
            .loss as tf.Scalar,
        60,
      );
      expect(losses[0]).toBeCloseTo(Math.log(17), 0);
      expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
      inputIds.dispose();
      decoder.dispose();
    });

    it('the BERT encoder learns to fill masked positions (loss < 0.3 · initial after 60 steps)', () => {
      const bert = tinyBert({ seed: 1 });
      const masked = rows.map((row, rowIndex) =>
        row.map((id, index) => ((index + rowIndex) % 3 === 0 ? 3 : id)),
      );
      const labels = rows.map((row, rowIndex) =>
        row.map((id, index) => ((index + rowIndex) % 3 === 0 ? id : -100)),
      );
      const inputIds = ids(masked);
      const labelIds = ids(labels);
      const losses = overfit(
        bert,
        () => tokenCrossEntropy(bert.apply({ inputIds }), labelIds).loss as tf.Scalar,
        60,
      );
      expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
      tf.dispose([inputIds, labelIds]);
      bert.dispose();
    });

    it('the GLM encoder learns Part B from Part A (loss < 0.3 · initial after 60 steps)', () => {
      const glm = tinyGlm({ seed: 1 });
      const inputIds = ids(rows);
      const targets = ids(rows.map((row) => row.map((id, index) => (index < 4 ? -100 : id))));
      const positionIds = positions(4, 8);
      const blockPositionIds = ids(rows.map(() => [0, 0, 0, 0, 1, 2, 3, 4]));
      const bias = prefixLmAttentionBias([4, 4, 4, 4], 8);
      const losses = overfit(
        glm,
        () =>
          tokenCrossEntropy(
            glm.apply({ inputIds, positionIds, blockPositionIds, attentionBias: bias }),
            targets,
            { shift: true },
          ).loss as tf.Scalar,
        60,
      );
      expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
      tf.dispose([inputIds, targets, positionIds, blockPositionIds, bias]);
      glm.dispose();
    });
  }
});
