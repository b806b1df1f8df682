import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTinyLanguageModel, type TinyLanguageModel } from './create-tiny-language-model';

const ids = { dtype: 'int32' as const, shape: [2, 3], data: Int32Array.from([0, 4, 2, 5, 5, 1]) };

/** The model's formula in float64: logits = tanh(E[id] K + b) W. */
function referenceLogits(model: TinyLanguageModel): Float64Array {
  const [V, H] = [model.vocabularySize, model.hiddenSize];
  const E = model.embeddingTable.dataSync();
  const K = model.mixingKernel.dataSync();
  const b = model.mixingBias.dataSync();
  const W = model.outputKernel.dataSync();
  const out = new Float64Array(ids.data.length * V);
  ids.data.forEach((id, position) => {
    const hidden = Array.from({ length: H }, (_, j) => {
      let sum = b[j]!;
      for (let i = 0; i < H; i++) sum += E[id * H + i]! * K[i * H + j]!;
      return Math.tanh(sum);
    });
    for (let v = 0; v < V; v++) {
      let logit = 0;
      for (let j = 0; j < H; j++) logit += hidden[j]! * W[j * V + v]!;
      out[position * V + v] = logit;
    }
  });
  return out;
}

describeEachBackend('createTinyLanguageModel', () => {
  let model: TinyLanguageModel;
  beforeAll(() => {
    model = createTinyLanguageModel({ vocabularySize: 6, hiddenSize: 3, seed: 2 });
  });
  afterAll(() => model.dispose());

  it('computes tanh(E[ids] K + b) W, matching a float64 reference to 1e-6', () => {
    const logits = model.logits(ids);
    expect(logits.shape).toEqual([2, 3, 6]);
    const actual = logits.dataSync();
    const expected = referenceLogits(model);
    const worst = Math.max(...expected.map((value, index) => Math.abs(value - actual[index]!)));
    expect(worst).toBeLessThan(1e-6);
    logits.dispose();
  });

  it('draws the same weights for the same seed and different ones for another', () => {
    const same = createTinyLanguageModel({ vocabularySize: 6, hiddenSize: 3, seed: 2 });
    const other = createTinyLanguageModel({ vocabularySize: 6, hiddenSize: 3, seed: 3 });
    expect(same.embeddingTable.dataSync()).toEqual(model.embeddingTable.dataSync());
    expect(other.embeddingTable.dataSync()).not.toEqual(model.embeddingTable.dataSync());
    same.dispose();
    other.dispose();
  });

  it('gives the logit and hidden-state models gradients for every weight they use', () => {
    const batch = {
      size: 2,
      dimensions: { batch: 2, sequence: 3 },
      fields: { inputIds: ids },
      counts: {},
    };
    const logitModel = model.logitModel('inputIds');
    const { value, grads } = tf.variableGrads(
      () => tf.sum(logitModel.apply(batch).logits) as tf.Scalar,
    );
    expect(Object.keys(grads).sort()).toEqual(model.variables.map((v) => v.name).sort());
    tf.dispose([value, ...Object.values(grads)]);
    const hidden = model.hiddenStateModel('inputIds').apply(batch);
    expect(hidden.hiddenStates.shape).toEqual([2, 3, 3]);
    expect(hidden.projection).toMatchObject({
      weight: model.outputKernel,
      layout: 'hidden-by-vocab',
    });
    hidden.hiddenStates.dispose();
  });

  it('refuses a batch without an int32 ids field, naming it', () => {
    const batch = { size: 1, dimensions: {}, fields: {}, counts: {} };
    expectInvalidArgument(
      () => model.logitModel('tokens').apply(batch),
      'TinyLanguageModel.apply',
      'batch.fields.tokens',
      ['an int32 field of token ids'],
    );
  });

  it('refuses a vocabulary size that is not a small positive integer', () => {
    expectInvalidArgument(
      () => createTinyLanguageModel({ vocabularySize: 0 }),
      'createTinyLanguageModel',
      'options.vocabularySize',
      ['a finite integer in [1, 65536]', 'received 0'],
    );
  });
});
