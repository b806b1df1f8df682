import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ids, maxDifferenceAt, tinyBert, tinyDecoder, tinyGlm } from '../../test/tiny-models';
import { decodeWeights, encodeWeights, type WeightMap } from './weight-map';

const hidden = (model: ReturnType<typeof tinyDecoder>) =>
  tf.tidy(() => model.apply({ inputIds: ids([[1, 2, 3, 4]]) }).hiddenStates);

describeEachBackend('saving and loading weights', () => {
  it('getWeights → setWeights makes a differently seeded model compute the same outputs', () => {
    const source = tinyDecoder({ seed: 1 });
    const target = tinyDecoder({ seed: 2 });
    const [a, before] = [hidden(source), hidden(target)];
    expect(maxDifferenceAt(a, before, 0, 4)).toBeGreaterThan(1e-3);
    target.setWeights(source.getWeights());
    const after = hidden(target);
    expect(maxDifferenceAt(a, after, 0, 4)).toBe(0);
    tf.dispose([a, before, after]);
    source.dispose();
    target.dispose();
  });

  it('getWeights returns copies: {shape, data: Float32Array} per stable name', () => {
    const model = tinyBert({ pooler: true });
    const weights = model.getWeights();
    expect(Object.keys(weights)).toEqual(Object.keys(model.weights));
    const table = weights['embeddings.token']!;
    expect(table.shape).toEqual([17, 16]);
    expect(table.data).toBeInstanceOf(Float32Array);
    table.data[0] = 123;
    expect(model.tokenEmbeddings.dataSync()[0]).not.toBe(123);
    model.dispose();
  });

  it('encodeWeights → decodeWeights round-trips through one Float32Array blob and a JSON manifest', () => {
    const source = tinyGlm({ seed: 3 });
    const target = tinyGlm({ seed: 4 });
    const encoded = encodeWeights(source.getWeights());
    expect(encoded.data.length).toBe(source.parameterCounts().total);
    const manifest = JSON.parse(JSON.stringify(encoded.manifest));
    const bytes = new Uint8Array(encoded.data.buffer.slice(0));
    target.setWeights(decodeWeights({ manifest, data: new Float32Array(bytes.buffer) }));
    for (const [name, variable] of Object.entries(source.weights)) {
      expect(Array.from(target.weights[name]!.dataSync()), name).toEqual(
        Array.from(variable.dataSync()),
      );
    }
    source.dispose();
    target.dispose();
  });

  it('refuses a weight of another shape with a ShapeMismatchError naming the weight, and writes nothing', () => {
    const small = tinyDecoder({ seed: 1 });
    const wide = tinyDecoder({ seed: 2, vocabularySize: 20 });
    const before = Array.from(small.weights['embeddings.position']!.dataSync());
    const call = () => small.setWeights(wide.getWeights());
    expect(call).toThrow(ShapeMismatchError);
    expect(call).toThrow(
      /CausalDecoder\.setWeights: argument 'weights\['embeddings\.token'\]' has the wrong shape\. Expected shape \[17, 16\]; received shape \[20, 16\]\. Fix: .*configuration/,
    );
    // Position tables have equal shapes, but nothing is written when any weight is refused.
    expect(Array.from(small.weights['embeddings.position']!.dataSync())).toEqual(before);
    small.dispose();
    wide.dispose();
  });

  it('refuses unknown, missing, short and non-finite weights with typed errors', () => {
    const model = tinyDecoder();
    const good = model.getWeights();
    const without = (name: string): WeightMap =>
      Object.fromEntries(Object.entries(good).filter(([key]) => key !== name));
    expect(() =>
      model.setWeights({ ...good, 'layers.9.extra': good['finalLayerNorm.beta']! }),
    ).toThrow(
      /argument 'weights\['layers\.9\.extra'\]' is invalid\. Expected only names of this model's weights/,
    );
    expect(() => model.setWeights(without('finalLayerNorm.gamma'))).toThrow(InvalidArgumentError);
    expect(() => model.setWeights(without('finalLayerNorm.gamma'))).toThrow(
      /every weight of the model must be given/,
    );
    expect(() =>
      model.setWeights({
        ...good,
        'finalLayerNorm.beta': { shape: [16], data: new Float32Array(3) },
      }),
    ).toThrow(ShapeMismatchError);
    const poisoned = new Float32Array(16);
    poisoned[5] = Number.NaN;
    expect(() =>
      model.setWeights({ ...good, 'finalLayerNorm.beta': { shape: [16], data: poisoned } }),
    ).toThrow(/finite values; received NaN at flat index 5/);
    expect(() => model.setWeights(null as never)).toThrow(InvalidArgumentError);
    expect(() =>
      decodeWeights({ manifest: { format: 'other' }, data: new Float32Array(1) } as never),
    ).toThrow(/decodeWeights: argument 'encoded\.manifest' is invalid/);
    const encoded = encodeWeights(good);
    expect(() => decodeWeights({ ...encoded, data: encoded.data.subarray(1) })).toThrow(
      ShapeMismatchError,
    );
    model.dispose();
  });
});
