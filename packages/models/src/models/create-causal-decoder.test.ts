import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ids, maxDifferenceAt, normalTensor, tinyDecoder } from '../../test/tiny-models';
import { splitPrefixKeyValues } from '../prefix/split-prefix-key-values';
import { projectToVocabulary } from './project-to-vocabulary';

describeEachBackend('createCausalDecoder', () => {
  let decoder: ReturnType<typeof tinyDecoder>;
  beforeAll(() => {
    decoder = tinyDecoder({ seed: 11 });
  });
  afterAll(() => decoder.dispose());

  it('returns hidden states [B, L, H] with the output projection tied to the token table', () => {
    const outputs = tf.tidy(() =>
      decoder.apply({
        inputIds: ids([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      }),
    );
    expect(outputs.hiddenStates.shape).toEqual([2, 3, 16]);
    expect(outputs.projection.layout).toBe('vocab-by-hidden');
    expect(outputs.projection.weight).toBe(decoder.tokenEmbeddings);
    expect(outputs.embeddingTable).toBe(decoder.tokenEmbeddings);
    expect(decoder.tokenEmbeddings.shape).toEqual([17, 16]);
    expect(outputs.keyValues).toBeUndefined();
    outputs.hiddenStates.dispose();
  });

  it('projectToVocabulary gives logits h·Eᵀ [B, L, V]', () => {
    const [logits, reference] = tf.tidy(() => {
      const outputs = decoder.apply({ inputIds: ids([[1, 2, 3]]) });
      return [
        projectToVocabulary(outputs),
        tf.matMul(tf.reshape(outputs.hiddenStates, [3, 16]), decoder.tokenEmbeddings, false, true),
      ];
    }) as [tf.Tensor, tf.Tensor];
    expect(logits.shape).toEqual([1, 3, 17]);
    const error = tf.tidy(
      () => tf.max(tf.abs(tf.sub(tf.reshape(logits, [3, 17]), reference))).dataSync()[0]!,
    );
    expect(error).toBeLessThan(1e-5);
    tf.dispose([logits, reference]);
  });

  it('returns each layer’s keys and values [B, heads, P + L, headSize] on request', () => {
    const outputs = tf.tidy(() =>
      decoder.apply(
        {
          inputIds: ids([[1, 2, 3, 4]]),
          prefixKeyValues: [0, 1].map((layer) => ({
            key: normalTensor([1, 4, 2, 4], layer),
            value: normalTensor([1, 4, 2, 4], layer + 5),
          })),
        },
        { returnKeyValues: true },
      ),
    );
    expect(outputs.hiddenStates.shape).toEqual([1, 4, 16]);
    expect(outputs.keyValues).toHaveLength(2);
    for (const { key, value } of outputs.keyValues!) {
      expect(key.shape).toEqual([1, 4, 6, 4]);
      expect(value.shape).toEqual([1, 4, 6, 4]);
    }
    tf.dispose([
      outputs.hiddenStates,
      ...outputs.keyValues!.flatMap(({ key, value }) => [key, value]),
    ]);
  });

  it('continuing from cached keys and values reproduces the full run (query length ≠ key length)', () => {
    const full = [2, 7, 1, 8, 2, 8, 1, 8];
    const cut = 5;
    const complete = tf.tidy(() =>
      decoder.apply({ inputIds: ids([full, [...full].reverse()]) }, { returnKeyValues: true }),
    );
    const continued = tf.tidy(() => {
      const cache = complete.keyValues!.map(({ key, value }) => ({
        key: tf.slice(key, [0, 0, 0, 0], [2, 4, cut, 4]),
        value: tf.slice(value, [0, 0, 0, 0], [2, 4, cut, 4]),
      }));
      const rest = [full.slice(cut), [...full].reverse().slice(cut)];
      return decoder.apply({
        inputIds: ids(rest),
        positionIds: ids(rest.map(() => [5, 6, 7])),
        prefixKeyValues: cache,
      }).hiddenStates;
    });
    const tail = tf.slice(complete.hiddenStates, [0, cut, 0], [2, 3, 16]);
    expect(continued.shape).toEqual([2, 3, 16]);
    expect(maxDifferenceAt(continued, tail, 0, 3)).toBeLessThan(1e-5);
    tf.dispose([continued, tail, complete.hiddenStates]);
    tf.dispose(complete.keyValues!.flatMap(({ key, value }) => [key, value]));
  });

  it('splitPrefixKeyValues turns [layers, 2, B, heads, P, d] into per-layer keys and values', () => {
    const prefix = normalTensor([2, 2, 1, 4, 3, 4], 1);
    const layers = splitPrefixKeyValues(prefix);
    expect(layers).toHaveLength(2);
    const expected = tf.tidy(() =>
      tf.slice(prefix, [1, 1, 0, 0, 0, 0], [1, 1, 1, 4, 3, 4]).dataSync(),
    );
    expect(Array.from(layers[1]!.value.dataSync())).toEqual(Array.from(expected));
    expect(layers[0]!.key.shape).toEqual([1, 4, 3, 4]);
    const hidden = tf.tidy(
      () => decoder.apply({ inputIds: ids([[1, 2]]), prefixKeyValues: layers }).hiddenStates,
    );
    expect(hidden.shape).toEqual([1, 2, 16]);
    tf.dispose([prefix, hidden, ...layers.flatMap(({ key, value }) => [key, value])]);
  });

  it('trains prefix keys and values: gradients reach them and no model weight is required', () => {
    const key = tf.tidy(() => tf.variable(normalTensor([1, 4, 2, 4], 3)));
    const value = tf.tidy(() => tf.variable(normalTensor([1, 4, 2, 4], 4)));
    // Σ h would have a zero gradient: the final LayerNorm's outputs sum to Σβ whatever its input.
    const weights = normalTensor([1, 3, 16], 5);
    const { value: score, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.mul(
            weights,
            decoder.apply({
              inputIds: ids([[1, 2, 3]]),
              prefixKeyValues: [
                { key, value },
                { key, value },
              ],
            }).hiddenStates,
          ),
        ) as tf.Scalar,
      [key, value],
    );
    expect(Object.keys(grads)).toHaveLength(2);
    expect(tf.tidy(() => tf.max(tf.abs(grads[value.name]!)).dataSync()[0]!)).toBeGreaterThan(0);
    tf.dispose([score, key, value, weights, ...Object.values(grads)]);
  });
});
