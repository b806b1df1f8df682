import { InvalidArgumentError, linear, ShapeMismatchError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ids, maxDifferenceAt, normalTensor, tinyDecoder } from '../../test/tiny-models';

const QUERY = 'layers.0.attention.query';

describeEachBackend('named linears and wrapLinear (the adapter hook)', () => {
  it('exposes every linear as { kernel [in, out], bias [out] } under a stable name', () => {
    const model = tinyDecoder();
    const names = Object.keys(model.linears);
    expect(names).toHaveLength(12);
    for (const layer of [0, 1]) {
      for (const part of ['query', 'key', 'value', 'output']) {
        const entry = model.linears[`layers.${layer}.attention.${part}`]!;
        expect(entry.kernel.shape).toEqual([16, 16]);
        expect(entry.bias!.shape).toEqual([16]);
        expect(entry.kernel).toBe(model.weights[`layers.${layer}.attention.${part}.kernel`]);
      }
      expect(model.linears[`layers.${layer}.feedForward.intermediate`]!.kernel.shape).toEqual([
        16, 32,
      ]);
      expect(model.linears[`layers.${layer}.feedForward.output`]!.kernel.shape).toEqual([32, 16]);
    }
    expect(model.linears[QUERY]!.inputSize).toBe(16);
    expect(model.linears[QUERY]!.wrapperCount).toBe(0);
    model.dispose();
  });

  it('a wrapper that adds a delta changes the outputs; removing it restores them exactly', () => {
    const model = tinyDecoder({ seed: 3 });
    const run = () => tf.tidy(() => model.apply({ inputIds: ids([[1, 2, 3]]) }).hiddenStates);
    const plain = run();
    const calls: string[] = [];
    const unwrap = model.wrapLinear(QUERY, (x, next, layer) => {
      calls.push(layer.name);
      return tf.add(next(x), 0.5);
    });
    const wrapped = run();
    expect(calls).toEqual([QUERY]);
    expect(model.linears[QUERY]!.wrapperCount).toBe(1);
    expect(maxDifferenceAt(plain, wrapped, 0, 3)).toBeGreaterThan(1e-3);
    unwrap();
    const restored = run();
    expect(maxDifferenceAt(plain, restored, 0, 3)).toBe(0);
    tf.dispose([plain, wrapped, restored]);
    model.dispose();
  });

  it('wrappers stack (the last is outermost) and next() computes the plain xW + b', () => {
    const model = tinyDecoder();
    const layer = model.linears[QUERY]!;
    const x = normalTensor([2, 3, 16], 1);
    const order: string[] = [];
    const removeInner = model.wrapLinear(QUERY, (input, next) => {
      order.push('inner');
      return tf.mul(next(input), 2);
    });
    model.wrapLinear(QUERY, (input, next) => {
      order.push('outer');
      return tf.add(next(input), 1);
    });
    const [stacked, expected] = tf.tidy(() => [
      layer.apply(x),
      tf.add(tf.mul(linear(x, layer.kernel, layer.bias), 2), 1),
    ]) as [tf.Tensor, tf.Tensor];
    expect(order).toEqual(['outer', 'inner']);
    expect(maxDifferenceAt(stacked, expected, 0, 3)).toBeLessThan(1e-5);
    removeInner();
    removeInner(); // idempotent
    expect(layer.wrapperCount).toBe(1);
    tf.dispose([x, stacked, expected]);
    model.dispose();
  });

  it('a LoRA-style wrapper trains only its own variables: gradients reach A and B, the base stays put', () => {
    const model = tinyDecoder({ seed: 4 });
    const a = tf.tidy(() => tf.variable(normalTensor([16, 2], 2, 0.1)));
    const b = tf.tidy(() => tf.variable(normalTensor([2, 16], 3, 0.1)));
    model.wrapLinear(QUERY, (x, next) => tf.add(next(x), linear(linear(x, a), b)));
    const weights = normalTensor([1, 3, 16], 4);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.mul(weights, model.apply({ inputIds: ids([[1, 2, 3]]) }).hiddenStates),
        ) as tf.Scalar,
      [a, b],
    );
    for (const variable of [a, b]) {
      expect(tf.tidy(() => tf.max(tf.abs(grads[variable.name]!)).dataSync()[0]!)).toBeGreaterThan(
        0,
      );
    }
    tf.dispose([value, weights, a, b, ...Object.values(grads)]);
    model.dispose();
  });

  it('refuses unknown names (listing the real ones), non-functions and wrongly shaped wrapper outputs', () => {
    const model = tinyDecoder();
    expect(() => model.wrapLinear('layer0/query', (x, next) => next(x))).toThrow(
      InvalidArgumentError,
    );
    expect(() => model.wrapLinear('layer0/query', (x, next) => next(x))).toThrow(
      /CausalDecoder\.wrapLinear: argument 'name' is invalid\. Expected the name of one of the model's 12 linears \('layers\.0\.attention\.query'/,
    );
    expect(() => model.wrapLinear(QUERY, 'nope' as never)).toThrow(/argument 'wrapper' is invalid/);
    model.wrapLinear(QUERY, (x) => tf.slice(x, [0, 0, 0], [1, 3, 8]));
    expect(() => tf.tidy(() => model.apply({ inputIds: ids([[1, 2, 3]]) }))).toThrow(
      ShapeMismatchError,
    );
    expect(() => tf.tidy(() => model.apply({ inputIds: ids([[1, 2, 3]]) }))).toThrow(
      /the wrapper of linear 'layers\.0\.attention\.query': argument 'return value' has the wrong shape\. Expected a float32 tensor of shape \[1, 3, 16\]/,
    );
    model.dispose();
  });
});
