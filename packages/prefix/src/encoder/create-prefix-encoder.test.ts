import { createRng } from '@lm-objectives/core';
import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createPrefixEncoder } from './create-prefix-encoder';
import { prefixKeyValuesFromProjection } from './prefix-key-values';

const SIZES = { numLayers: 3, numHeads: 2, headSize: 4 }; // H = 8, L·2H = 48

function disposeAll(keyValues: { key: tf.Tensor; value: tf.Tensor }[]): void {
  tf.dispose(keyValues.flatMap(({ key, value }) => [key, value]));
}

describeEachBackend('createPrefixEncoder', () => {
  it('without the MLP, the only weight is a [P, L·2H] table and each layer gets [1, heads, P, d] keys and values', () => {
    const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 5 });
    expect(Object.keys(prefix.weights)).toEqual(['embedding']);
    expect(prefix.weights.embedding!.shape).toEqual([5, 48]);
    expect(prefix.parameterCount()).toBe(5 * 48);
    expect(prefix.exportedParameterCount()).toBe(5 * 48);
    const keyValues = prefix.keyValues();
    expect(keyValues).toHaveLength(3);
    for (const { key, value } of keyValues) {
      expect(key.shape).toEqual([1, 2, 5, 4]);
      expect(value.shape).toEqual([1, 2, 5, 4]);
    }
    const perRow = prefix.keyValues(3);
    expect(perRow[2]!.value.shape).toEqual([3, 2, 5, 4]);
    disposeAll([...keyValues, ...perRow]);
    prefix.dispose();
  });

  it('with the MLP, the weights are [P, H], [H, E], [E], [E, L·2H], [L·2H] and the export keeps only P·L·2H values', () => {
    const prefix = createPrefixEncoder(SIZES, {
      numVirtualTokens: 5,
      prefixProjection: true,
      encoderHiddenSize: 6,
    });
    const shapes = Object.fromEntries(
      Object.entries(prefix.weights).map(([name, variable]) => [name, variable!.shape]),
    );
    expect(shapes).toEqual({
      embedding: [5, 8],
      'projection.hidden.kernel': [8, 6],
      'projection.hidden.bias': [6],
      'projection.output.kernel': [6, 48],
      'projection.output.bias': [48],
    });
    expect(prefix.parameterCount()).toBe(5 * 8 + 8 * 6 + 6 + 6 * 48 + 48);
    expect(prefix.exportedParameterCount()).toBe(5 * 48);
    const projected = prefix.projectedPrefix();
    expect(projected.shape).toEqual([5, 48]);
    const stacked = prefix.stackedKeyValues();
    expect(stacked.shape).toEqual([3, 2, 2, 5, 4]);
    tf.dispose([projected, stacked]);
    prefix.dispose();
  });

  it('the MLP defaults its width to the model hidden size H', () => {
    const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 2, prefixProjection: true });
    expect(prefix.options.encoderHiddenSize).toBe(8);
    expect(prefix.weights['projection.hidden.kernel']!.shape).toEqual([8, 8]);
    prefix.dispose();
  });

  it('reads row p of the table as [layer, key/value, head, channel] (hand-derived layout)', () => {
    const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 2 });
    // table[p, c] = 1000 p + c, so every entry names its own source.
    const table = Float32Array.from(
      { length: 2 * 48 },
      (_, index) => 1000 * Math.floor(index / 48) + (index % 48),
    );
    const values = tf.tensor2d(table, [2, 48]);
    prefix.weights.embedding!.assign(values);
    const keyValues = prefix.keyValues();
    keyValues.forEach(({ key, value }, layer) => {
      [key, value].forEach((part, which) => {
        const data = part.dataSync();
        for (let head = 0; head < 2; head++) {
          for (let token = 0; token < 2; token++) {
            for (let channel = 0; channel < 4; channel++) {
              const expected = 1000 * token + ((2 * layer + which) * 2 + head) * 4 + channel;
              expect(data[(head * 2 + token) * 4 + channel]).toBe(expected);
            }
          }
        }
      });
    });
    disposeAll(keyValues);
    values.dispose();
    prefix.dispose();
  });

  it('the MLP computes tanh(E W1 + b1) W2 + b2 (float64 reference in plain JavaScript)', () => {
    const prefix = createPrefixEncoder(SIZES, {
      numVirtualTokens: 3,
      prefixProjection: true,
      encoderHiddenSize: 5,
      initializerRange: 1,
      seed: 4,
    });
    const read = (name: string) => {
      const variable = prefix.weights[name as 'embedding']!;
      return { data: Float64Array.from(variable.dataSync()), shape: variable.shape };
    };
    const product = (
      left: { data: Float64Array; shape: number[] },
      right: { data: Float64Array; shape: number[] },
      bias: { data: Float64Array },
      activation: (x: number) => number,
    ) => {
      const [rows, inner] = left.shape as [number, number];
      const columns = right.shape[1]!;
      const data = new Float64Array(rows * columns);
      for (let row = 0; row < rows; row++) {
        for (let column = 0; column < columns; column++) {
          let sum = bias.data[column]!;
          for (let k = 0; k < inner; k++)
            sum += left.data[row * inner + k]! * right.data[k * columns + column]!;
          data[row * columns + column] = activation(sum);
        }
      }
      return { data, shape: [rows, columns] };
    };
    const hidden = product(
      read('embedding'),
      read('projection.hidden.kernel'),
      read('projection.hidden.bias'),
      Math.tanh,
    );
    const expected = product(
      hidden,
      read('projection.output.kernel'),
      read('projection.output.bias'),
      (x) => x,
    );
    const projected = prefix.projectedPrefix();
    expectRelativelyClose(projected.dataSync(), expected.data, 2e-6, 'projected prefix');
    projected.dispose();
    prefix.dispose();
  });

  it('initialises the table from N(0, σ²) and the MLP from U(±1/√fanIn), reproducibly from the seed', () => {
    const options = {
      numVirtualTokens: 40,
      prefixProjection: true,
      encoderHiddenSize: 64,
      initializerRange: 0.5,
      seed: 7,
    };
    const prefix = createPrefixEncoder(SIZES, options);
    const again = createPrefixEncoder(SIZES, options);
    const viaRandom = createPrefixEncoder(SIZES, {
      ...options,
      seed: undefined,
      random: createRng(7),
    });
    for (const [name, variable] of Object.entries(prefix.weights)) {
      expect(Array.from(again.weights[name as 'embedding']!.dataSync()), name).toEqual(
        Array.from(variable!.dataSync()),
      );
      expect(Array.from(viaRandom.weights[name as 'embedding']!.dataSync()), name).toEqual(
        Array.from(variable!.dataSync()),
      );
    }
    // 320 normal draws: the sample standard deviation is within 15 % of σ (≈ 3.8 standard errors).
    const table = Array.from(prefix.weights.embedding!.dataSync());
    const mean = table.reduce((sum, value) => sum + value, 0) / table.length;
    const std = Math.sqrt(
      table.reduce((sum, value) => sum + (value - mean) ** 2, 0) / table.length,
    );
    expect(Math.abs(std - 0.5) / 0.5).toBeLessThan(0.15);
    // Uniform kernels: every value inside the bound, the extremes within 5 % of it (512 and 3072 draws).
    for (const [name, fanIn] of [
      ['projection.hidden.kernel', 8],
      ['projection.output.kernel', 64],
    ] as const) {
      const values = Array.from(prefix.weights[name]!.dataSync());
      const bound = 1 / Math.sqrt(fanIn);
      const largest = values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
      expect(largest, name).toBeLessThanOrEqual(bound);
      expect(largest, name).toBeGreaterThan(0.95 * bound);
    }
    for (const encoder of [prefix, again, viaRandom]) encoder.dispose();
  });

  it('supports P = 0: empty keys and values [1, heads, 0, d] in every layer', () => {
    for (const prefixProjection of [false, true]) {
      const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 0, prefixProjection });
      const keyValues = prefix.keyValues();
      expect(keyValues.map(({ key }) => key.shape)).toEqual([
        [1, 2, 0, 4],
        [1, 2, 0, 4],
        [1, 2, 0, 4],
      ]);
      disposeAll(keyValues);
      prefix.dispose();
    }
  });

  it('gradients reach every prefix weight through the keys and values, leak-free', () => {
    for (const prefixProjection of [false, true]) {
      const prefix = createPrefixEncoder(SIZES, {
        numVirtualTokens: 3,
        prefixProjection,
        initializerRange: 1,
      });
      const { value, grads } = tf.variableGrads(() => {
        const parts = prefix.keyValues(2).flatMap(({ key, value }) => [key, value]);
        return parts
          .map((part, index) => tf.sum(tf.mul(part, index + 1)))
          .reduce((sum, term) => tf.add(sum, term)) as tf.Scalar;
      }, [...prefix.variables]);
      for (const variable of prefix.variables) {
        const gradient = grads[variable.name]!;
        expect(gradient.shape).toEqual(variable.shape);
        expect(tf.tidy(() => tf.max(tf.abs(gradient)).dataSync()[0]!)).toBeGreaterThan(0);
      }
      if (!prefixProjection) {
        // d/dT of Σ_layer,part (index+1)·sum(part broadcast to 2 rows) = 2·(2·layer + part + 1), hand-derived.
        const gradient = grads[prefix.weights.embedding!.name]!.dataSync();
        for (let column = 0; column < 48; column++) {
          const layerPart = Math.floor(column / 8);
          expect(gradient[column]).toBe(2 * (layerPart + 1));
        }
      }
      tf.dispose([value, ...Object.values(grads)]);
      prefix.dispose();
    }
  });

  it('prefixKeyValuesFromProjection gives the encoder layout for a projection made elsewhere', () => {
    const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 2, prefixProjection: true });
    const projected = prefix.projectedPrefix();
    const fromProjection = prefixKeyValuesFromProjection(projected, SIZES, 2);
    const fromEncoder = prefix.keyValues(2);
    fromEncoder.forEach(({ key, value }, layer) => {
      expect(Array.from(fromProjection[layer]!.key.dataSync())).toEqual(Array.from(key.dataSync()));
      expect(Array.from(fromProjection[layer]!.value.dataSync())).toEqual(
        Array.from(value.dataSync()),
      );
    });
    disposeAll([...fromProjection, ...fromEncoder]);
    projected.dispose();
    prefix.dispose();
  });
});

describeEachBackend('a prefix for a one-layer model', () => {
  it('trains: gradients reach the table although the layer axis has length 1', () => {
    const prefix = createPrefixEncoder(
      { numLayers: 1, numHeads: 2, headSize: 2 },
      { numVirtualTokens: 2 },
    );
    const { value, grads } = tf.variableGrads(() => {
      const [{ key, value }] = prefix.keyValues() as [{ key: tf.Tensor; value: tf.Tensor }];
      return tf.add(tf.sum(key), tf.mul(tf.sum(value), 3)) as tf.Scalar;
    }, [...prefix.variables]);
    // Hand-derived: ∂/∂T = 1 on the key half of each row, 3 on the value half.
    expect(Array.from(grads[prefix.weights.embedding!.name]!.dataSync())).toEqual([
      1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3,
    ]);
    tf.dispose([value, ...Object.values(grads)]);
    prefix.dispose();
  });
});
