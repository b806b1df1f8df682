import { InvalidArgumentError, linear, tokenCrossEntropy } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ids, maxDifferenceAt, normalTensor, tinyLlama } from '../../test/tiny-models';
import { createLlamaDecoder } from './create-llama-decoder';

describeEachBackend('createLlamaDecoder', () => {
  let model: ReturnType<typeof tinyLlama>;
  beforeAll(() => {
    model = tinyLlama({ seed: 4, initializerRange: 0.3 });
  });
  afterAll(() => model.dispose());

  it('has RMSNorm scales, no biases, gate/up/down linears, grouped key/value projections and its own head', () => {
    expect(model.weights['layers.0.attention.key.kernel']!.shape).toEqual([16, 8]);
    expect(model.weights['layers.0.attention.query.kernel']!.shape).toEqual([16, 16]);
    expect(model.weights['layers.0.attention.query.bias']).toBeUndefined();
    expect(model.weights['layers.1.feedForward.rmsNorm.gamma']!.shape).toEqual([16]);
    expect(model.weights['finalRmsNorm.gamma']).toBeDefined();
    expect(model.weights['embeddings.position']).toBeUndefined();
    expect(Object.keys(model.linears)).toContain('layers.1.feedForward.gate');
    const outputs = tf.tidy(() => model.apply({ inputIds: ids([[1, 2, 3]]) }));
    expect(outputs.projection.weight).toBe(model.weights['outputHead.weight']);
    outputs.hiddenStates.dispose();
    const tied = tinyLlama({ tieWordEmbeddings: true });
    expect(tied.weights['outputHead.weight']).toBeUndefined();
    // 17·16 + 2 · (16·16 + 2·16·8 + 16·16 + 3·16·32 + 2·16) + 16
    expect(tied.parameterCounts().total).toBe(272 + 2 * (256 + 256 + 256 + 1536 + 32) + 16);
    tied.dispose();
  });

  it('is causal: changing a later token never moves an earlier position', () => {
    const run = (row: number[]) =>
      tf.tidy(() => model.apply({ inputIds: ids([row]) }).hiddenStates);
    const base = run([1, 2, 3, 4, 5]);
    const changed = run([1, 2, 3, 9, 5]);
    expect(maxDifferenceAt(base, changed, 0, 3)).toBe(0);
    expect(maxDifferenceAt(base, changed, 3, 5)).toBeGreaterThan(1e-3);
    tf.dispose([base, changed]);
  });

  it('rotary positions make attention depend on relative positions only: shifting all positions changes nothing', () => {
    // With no absolute position table, q_i·k_j depends on i − j only, so a uniform shift is invisible.
    const run = (start: number) =>
      tf.tidy(
        () =>
          model.apply({
            inputIds: ids([[1, 2, 3, 4]]),
            positionIds: ids([[start, start + 1, start + 2, start + 3]]),
          }).hiddenStates,
      );
    const [zero, shifted] = [run(0), run(7)];
    expect(maxDifferenceAt(zero, shifted, 0, 4)).toBeLessThan(2e-5);
    const reordered = tf.tidy(
      () =>
        model.apply({ inputIds: ids([[1, 2, 3, 4]]), positionIds: ids([[0, 2, 4, 6]]) })
          .hiddenStates,
    );
    expect(maxDifferenceAt(zero, reordered, 1, 4)).toBeGreaterThan(1e-3);
    tf.dispose([zero, shifted, reordered]);
  });

  it('continuing from cached (rotated) keys and values reproduces the full run', () => {
    const full = [2, 7, 1, 8, 2, 8];
    const complete = tf.tidy(() =>
      model.apply({ inputIds: ids([full]) }, { returnKeyValues: true }),
    );
    expect(complete.keyValues![0]!.key.shape).toEqual([1, 2, 6, 4]);
    const continued = tf.tidy(() => {
      const cache = complete.keyValues!.map(({ key, value }) => ({
        key: tf.slice(key, [0, 0, 0, 0], [1, 2, 4, 4]),
        value: tf.slice(value, [0, 0, 0, 0], [1, 2, 4, 4]),
      }));
      return model.apply({
        inputIds: ids([full.slice(4)]),
        positionIds: ids([[4, 5]]),
        prefixKeyValues: cache,
      }).hiddenStates;
    });
    const tail = tf.slice(complete.hiddenStates, [0, 4, 0], [1, 2, 16]);
    expect(maxDifferenceAt(continued, tail, 0, 2)).toBeLessThan(1e-5);
    tf.dispose([
      continued,
      tail,
      complete.hiddenStates,
      ...complete.keyValues!.flatMap(({ key, value }) => [key, value]),
    ]);
  });

  it('grouped-query attention equals multi-head attention with each key/value head repeated', () => {
    const full = tinyLlama({ numKeyValueHeads: 4, seed: 9 });
    const grouped = model.getWeights();
    const widened: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, entry] of Object.entries(grouped)) {
      if (!/attention\.(key|value)\.kernel$/.test(name)) {
        widened[name] = { shape: [...entry.shape], data: entry.data };
        continue;
      }
      // Kernel [16, 2·4] → [16, 4·4]: head h reads key/value head ⌊h / 2⌋.
      const data = new Float32Array(16 * 16);
      for (let row = 0; row < 16; row++) {
        for (let head = 0; head < 4; head++) {
          for (let column = 0; column < 4; column++) {
            data[row * 16 + head * 4 + column] =
              entry.data[row * 8 + Math.floor(head / 2) * 4 + column]!;
          }
        }
      }
      widened[name] = { shape: [16, 16], data };
    }
    full.setWeights(widened);
    const inputs = () => ({ inputIds: ids([[3, 1, 4, 1, 5]]) });
    const [a, b] = [
      tf.tidy(() => model.apply(inputs()).hiddenStates),
      tf.tidy(() => full.apply(inputs()).hiddenStates),
    ];
    expect(maxDifferenceAt(a, b, 0, 5)).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    full.dispose();
  });

  it('trains leak-free, and a LoRA-style wrapper on the gate projection receives gradients', () => {
    const a = tf.tidy(() => tf.variable(normalTensor([16, 2], 2, 0.1)));
    const b = tf.tidy(() => tf.variable(normalTensor([2, 32], 3, 0.1)));
    const remove = model.wrapLinear('layers.0.feedForward.gate', (x, next) =>
      tf.add(next(x), linear(linear(x, a), b)),
    );
    const inputIds = ids([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const { value, grads } = tf.variableGrads(
      () =>
        tokenCrossEntropy(model.apply({ inputIds }), inputIds, { shift: true }).loss as tf.Scalar,
      [a, b, ...model.variables],
    );
    expect(Object.keys(grads)).toHaveLength(2 + model.variables.length);
    for (const variable of [a, b, model.weights['layers.1.attention.key.kernel']!]) {
      expect(tf.tidy(() => tf.max(tf.abs(grads[variable.name]!)).dataSync()[0]!)).toBeGreaterThan(
        0,
      );
    }
    remove();
    tf.dispose([value, inputIds, a, b, ...Object.values(grads)]);
  });

  it('refuses what a Llama decoder cannot be', () => {
    expect(() =>
      createLlamaDecoder({ vocabularySize: 10, numHeads: 4, numKeyValueHeads: 3 }),
    ).toThrow(/config\.numKeyValueHeads' is invalid\. Expected a divisor of numHeads = 4/);
    expect(() =>
      createLlamaDecoder({ vocabularySize: 10, normalization: 'post' } as never),
    ).toThrow(InvalidArgumentError);
    expect(() => createLlamaDecoder({ vocabularySize: 10, hiddenSize: 12, numHeads: 4 })).toThrow(
      /head size hiddenSize \/ numHeads that is even/,
    );
  });
});
