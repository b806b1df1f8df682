import { createRng } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bitIdentical, expectInvalidArgument, seededNormal, valuesOf } from '../../test/helpers';
import { createLoraAdapters, type LinearWeights } from './create-lora-adapters';
import { isDefaultLoraTarget, matchesLoraTargets } from './lora-targets';

/** A two-layer attention-like set of linears, hidden size 6. */
function makeLinears(seed = 1): { linears: Record<string, LinearWeights>; free: () => void } {
  const random = createRng(seed);
  const linears: Record<string, LinearWeights> = {};
  for (const layer of [0, 1]) {
    for (const [name, outputs] of [
      ['query', 6],
      ['key', 6],
      ['value', 6],
      ['output', 6],
      ['mlp/up', 12],
    ] as const) {
      const inputs = 6;
      linears[`layer${layer}/${name}`] = tf.tidy(() => ({
        kernel: tf.variable(seededNormal(random, [inputs, outputs], 0.4)),
        bias: tf.variable(seededNormal(random, [outputs], 0.1)),
      }));
    }
  }
  return {
    linears,
    free: () => {
      for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias!]);
    },
  };
}

describe('the default targets', () => {
  it.each([
    ['layer0/query', true],
    ['h.0.attn.q_proj', true],
    ['block2.wv', true],
    ['valueProjection', true],
    ['encoder/layer_1/attention/self/value', true],
    ['v', true],
    ['layer0/key', false],
    ['attn/k_proj', false],
    ['mlp/fc1', false],
    ['output', false],
    ['qkv', false],
    ['values_table', false],
  ])('classify %s as a query/value projection: %s', (name, expected) => {
    expect(isDefaultLoraTarget(name)).toBe(expected);
  });

  it('accept a RegExp, a predicate, or a list of names and RegExps', () => {
    expect(matchesLoraTargets('layer0/key', /key/g)).toBe(true);
    expect(matchesLoraTargets('layer0/key', /key/g)).toBe(true); // no lastIndex state
    expect(matchesLoraTargets('a', (name) => name === 'a')).toBe(true);
    expect(matchesLoraTargets('layer0/key', ['layer0/key'])).toBe(true);
    expect(matchesLoraTargets('layer0/keys', ['layer0/key'])).toBe(false);
    expect(matchesLoraTargets('layer0/mlp/up', ['x', /mlp/])).toBe(true);
  });
});

describeEachBackend('createLoraAdapters (hand-written models)', () => {
  it('adapts the query and value projections by default, and freezes every given weight', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { rank: 2 });
    expect([...lora.adapters.keys()]).toEqual([
      'layer0/query',
      'layer0/value',
      'layer1/query',
      'layer1/value',
    ]);
    for (const { kernel, bias } of Object.values(linears)) {
      expect(kernel.trainable).toBe(false);
      expect(bias!.trainable).toBe(false);
    }
    expect(lora.trainableWeights()).toHaveLength(8);
    expect(lora.trainableWeights().every((variable) => variable.trainable)).toBe(true);
    lora.dispose();
    for (const { kernel } of Object.values(linears)) expect(kernel.trainable).toBe(true);
    free();
  });

  it('gives each adapter its own random stream: different A for different layers', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { targets: /query/, seed: 3, rank: 4 });
    const [first, second] = [...lora.adapters.values()];
    expect(bitIdentical(valuesOf(first!.a), valuesOf(second!.a))).toBe(false);
    lora.dispose();
    free();
  });

  it('routes linear(name, x) through the adapter when there is one, else the frozen base', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { targets: ['layer0/key'], rank: 2 });
    const adapter = lora.adapters.get('layer0/key')!;
    tf.tidy(() => adapter.b.assign(tf.ones([2, 6])));
    const x = seededNormal(createRng(5), [3, 6]);
    const base = tf.tidy(() =>
      tf.add(tf.matMul(x, linears['layer0/key']!.kernel), linears['layer0/key']!.bias!),
    );
    const adapted = lora.linear('layer0/key', x);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(adapted, base))).dataSync()[0]!)).toBeGreaterThan(
      1e-3,
    );
    const plain = lora.linear('layer0/query', x);
    const query = tf.tidy(() =>
      tf.add(tf.matMul(x, linears['layer0/query']!.kernel), linears['layer0/query']!.bias!),
    );
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(plain, query))).dataSync()[0]!)).toBeLessThan(1e-6);
    expectInvalidArgument(() => lora.linear('layer9/query', x), 'LoraLinearSet.linear', 'name');
    tf.dispose([x, base, adapted, plain, query]);
    lora.dispose();
    free();
  });

  it('trains only A and B with optimizer.minimize and no variable list; base weights stay bit-identical', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { rank: 2, dropout: 0.1 });
    lora.training = true;
    const before = Object.fromEntries(
      Object.entries(linears).map(([name, { kernel }]) => [name, valuesOf(kernel)]),
    );
    const x = seededNormal(createRng(8), [4, 6]);
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 3; step++) {
      optimizer.minimize(() => {
        let hidden = x;
        for (const name of [
          'layer0/query',
          'layer0/key',
          'layer0/value',
          'layer1/query',
          'layer1/value',
        ]) {
          hidden = tf.tanh(lora.linear(name, hidden));
        }
        return tf.mean(tf.square(hidden)) as tf.Scalar;
      });
    }
    for (const [name, { kernel }] of Object.entries(linears)) {
      expect(bitIdentical(valuesOf(kernel), before[name]!)).toBe(true);
    }
    expect(valuesOf(lora.adapters.get('layer1/value')!.b).some((value) => value !== 0)).toBe(true);
    optimizer.dispose();
    x.dispose();
    lora.dispose();
    free();
  });

  it('merges and unmerges all adapters atomically, refusing a second merge', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { rank: 2 });
    lora.adapters.get('layer1/value')!.merge();
    expectInvalidArgument(() => lora.merge(), 'merge', 'adapters', [
      "'layer1/value'",
      'already merged',
    ]);
    expect(lora.adapters.get('layer0/query')!.merged).toBe(false);
    lora.adapters.get('layer1/value')!.unmerge();
    lora.merge();
    expect(lora.merged).toBe(true);
    expectInvalidArgument(() => lora.safeMerge(), 'safeMerge', 'adapters');
    lora.unmerge();
    expect(lora.merged).toBe(false);
    expectInvalidArgument(() => lora.unmerge(), 'unmerge', 'adapters', ['not merged']);
    lora.dispose();
    free();
  });

  it('reports trainable versus total parameters and the adapter size ratio', () => {
    const { linears, free } = makeLinears();
    const lora = createLoraAdapters(linears, { rank: 2 });
    const report = lora.parameterReport();
    // Base: 2 layers × (4 × (36 + 6) + (72 + 12)) = 504; adapters: 4 × 2 × (6 + 6) = 96.
    expect(report.baseParameters).toBe(504);
    expect(report.adapterParameters).toBe(96);
    expect(report.trainableParameters).toBe(96);
    expect(report.totalParameters).toBe(600);
    expect(report.trainableRatio).toBeCloseTo(96 / 600, 12);
    expect(report.adapterBytes).toBe(384);
    expect(report.sizeRatio).toBeCloseTo(96 / 504, 12);
    lora.dispose();
    free();
  });
});
