import { createRng } from '@lm-objectives/core';
import {
  decodeArray,
  describeEachBackend,
  type EncodedArray,
  expectRelativelyClose,
  readGolden,
} from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  bitIdentical,
  expectInvalidArgument,
  maxDifference,
  seededNormal,
  valuesOf,
} from '../../test/helpers';
import { createLoraAdapter } from './create-lora-adapter';
import type { LoraAdapter } from './lora-adapter';

interface AdapterCase {
  name: string;
  rank: number;
  alpha: number;
  rsLora: boolean;
  scaling: number;
  x: EncodedArray;
  kernel: EncodedArray;
  bias?: EncodedArray;
  a: EncodedArray;
  b: EncodedArray;
  upstream: EncodedArray;
  expected: Record<'y' | 'gradX' | 'gradA' | 'gradB' | 'mergedKernel', EncodedArray>;
}

const golden = readGolden<{ cases: AdapterCase[] }>(
  new URL('./__fixtures__/lora-adapter.golden.json', import.meta.url),
);

function tensorOf(encoded: EncodedArray): tf.Tensor {
  return tf.tensor(decodeArray(encoded) as Float32Array, encoded.shape, 'float32');
}

/** A kernel (and bias) variable with seeded values, and an adapter on them. */
function makeAdapter(
  inputs: number,
  outputs: number,
  options: Partial<Parameters<typeof createLoraAdapter>[0]> = {},
  seed = 1,
): { adapter: LoraAdapter; free: () => void } {
  const random = createRng(seed);
  const kernel = tf.tidy(() =>
    tf.variable(seededNormal(random, [inputs, outputs], 1 / Math.sqrt(inputs))),
  );
  const bias = tf.tidy(() => tf.variable(seededNormal(random, [outputs], 0.1)));
  const adapter = createLoraAdapter({ kernel, bias, rank: 2, alpha: 4, seed, ...options });
  return {
    adapter,
    free: () => {
      adapter.dispose();
      tf.dispose([kernel, bias]);
    },
  };
}

/** A few SGD steps on a random regression target, so that B is trained and non-zero. */
function train(adapter: LoraAdapter, steps = 5, seed = 7): void {
  const random = createRng(seed);
  const x = seededNormal(random, [6, adapter.inputSize]);
  const target = seededNormal(random, [6, adapter.outputSize]);
  const optimizer = tf.train.sgd(0.05 / adapter.scaling);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(
      () => tf.mean(tf.square(tf.sub(adapter.apply(x, { training: true }), target))) as tf.Scalar,
      false,
      adapter.trainableWeights(),
    );
  }
  optimizer.dispose();
  tf.dispose([x, target]);
}

describeEachBackend('createLoraAdapter', () => {
  it.each(golden.cases.map((item) => [item.name, item] as const))(
    'matches float64 PyTorch for %s: output, gradients of x, A and B, merged kernel',
    (_, item) => {
      const kernel = tf.tidy(() => tf.variable(tensorOf(item.kernel)));
      const bias = item.bias ? tf.tidy(() => tf.variable(tensorOf(item.bias!))) : undefined;
      const adapter = createLoraAdapter({
        kernel,
        bias,
        rank: item.rank,
        alpha: item.alpha,
        rsLora: item.rsLora,
      });
      expect(adapter.scaling).toBeCloseTo(item.scaling, 12);
      tf.tidy(() => {
        adapter.a.assign(tensorOf(item.a));
        adapter.b.assign(tensorOf(item.b));
      });
      const x = tensorOf(item.x);
      const upstream = tensorOf(item.upstream);
      const y = adapter.apply(x);
      expect(y.shape).toEqual(item.expected.y.shape);
      expectRelativelyClose(y.dataSync(), decodeArray(item.expected.y), 1e-5, 'y');
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(adapter.apply(x), upstream)) as tf.Scalar,
        adapter.trainableWeights(),
      );
      const inputGradient = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(adapter.apply(input), upstream)),
      )(x);
      expectRelativelyClose(inputGradient.dataSync(), decodeArray(item.expected.gradX), 1e-5, 'dx');
      expectRelativelyClose(
        grads[adapter.a.name]!.dataSync(),
        decodeArray(item.expected.gradA),
        1e-5,
        'dA',
      );
      expectRelativelyClose(
        grads[adapter.b.name]!.dataSync(),
        decodeArray(item.expected.gradB),
        1e-5,
        'dB',
      );
      adapter.merge();
      expectRelativelyClose(
        kernel.dataSync(),
        decodeArray(item.expected.mergedKernel),
        1e-6,
        'merged W',
      );
      tf.dispose([value, inputGradient, ...Object.values(grads), x, upstream, y, kernel, bias]);
      adapter.dispose();
    },
  );

  it('equals the base layer exactly at initialisation (B = 0)', () => {
    const { adapter, free } = makeAdapter(7, 5, { rank: 3 });
    const x = seededNormal(createRng(3), [4, 7]);
    const base = tf.tidy(() => tf.add(tf.matMul(x, adapter.kernel), adapter.bias!));
    const adapted = adapter.apply(x);
    expect(bitIdentical(valuesOf(adapted), valuesOf(base))).toBe(true);
    expect(Array.from(adapter.b.dataSync()).every((value) => value === 0)).toBe(true);
    tf.dispose([x, base, adapted]);
    free();
  });

  it.each([
    ['square 8×8', 8, 8],
    ['non-square 6×11', 6, 11],
    ['non-square 13×3', 13, 3],
  ])(
    'gives merged output equal to unmerged within 1e-5 on a %s kernel with a trained, non-zero B',
    (_, inputs, outputs) => {
      const { adapter, free } = makeAdapter(inputs, outputs, { rank: 3, alpha: 12 });
      train(adapter);
      expect(tf.tidy(() => tf.max(tf.abs(adapter.b)).dataSync()[0]!)).toBeGreaterThan(1e-3);
      const x = seededNormal(createRng(11), [5, inputs]);
      const unmerged = adapter.apply(x);
      const kernelBefore = valuesOf(adapter.kernel);
      adapter.merge();
      expect(adapter.merged).toBe(true);
      const merged = adapter.apply(x);
      const differenceFromBase = Math.max(
        ...kernelBefore.map((value, i) => Math.abs(value - adapter.kernel.dataSync()[i]!)),
      );
      expect(differenceFromBase).toBeGreaterThan(1e-4); // merge really changed the kernel
      expect(maxDifference(merged, unmerged)).toBeLessThanOrEqual(1e-5);
      adapter.unmerge();
      expect(adapter.merged).toBe(false);
      const original = tf.tensor(kernelBefore, [inputs, outputs]);
      expect(maxDifference(adapter.kernel, original)).toBeLessThanOrEqual(1e-6);
      tf.dispose([x, unmerged, merged, original]);
      free();
    },
  );

  it('restores the kernel within 1e-6 after merge then unmerge, and safeMerge behaves like merge', () => {
    const { adapter, free } = makeAdapter(9, 4, { rank: 4, alpha: 32 });
    train(adapter, 8);
    const before = valuesOf(adapter.kernel);
    adapter.safeMerge();
    const delta = adapter.delta();
    const expected = tf.tidy(() => tf.add(tf.tensor(before, [9, 4]), delta));
    expect(maxDifference(adapter.kernel, expected)).toBeLessThanOrEqual(1e-6);
    adapter.unmerge();
    const restored = valuesOf(adapter.kernel);
    expect(
      Math.max(...restored.map((value, i) => Math.abs(value - before[i]!))),
    ).toBeLessThanOrEqual(1e-6);
    tf.dispose([delta, expected]);
    free();
  });

  it('scales the update by α/r, or α/√r with rsLoRA (checked numerically)', () => {
    for (const [rank, alpha, rsLora, scaling] of [
      [4, 16, false, 4],
      [4, 16, true, 8],
      [9, 3, false, 1 / 3],
      [9, 3, true, 1],
    ] as const) {
      const { adapter, free } = makeAdapter(10, 12, { rank, alpha, rsLora });
      expect(adapter.scaling).toBeCloseTo(scaling, 12);
      tf.tidy(() => adapter.b.assign(seededNormal(createRng(rank), [rank, 12])));
      const x = seededNormal(createRng(2), [3, 10]);
      const observed = tf.tidy(() =>
        tf.sub(adapter.apply(x), tf.add(tf.matMul(x, adapter.kernel), adapter.bias!)),
      );
      const unscaled = tf.tidy(() => tf.matMul(tf.matMul(x, adapter.a), adapter.b));
      const ratio = tf.tidy(
        () =>
          tf.div(tf.sum(tf.mul(observed, unscaled)), tf.sum(tf.square(unscaled))).dataSync()[0]!,
      );
      expect(ratio).toBeCloseTo(scaling, 4);
      tf.dispose([x, observed, unscaled]);
      free();
    }
  });

  it('draws A from U(±1/√in) by default, and from N(0, (1/r)²) with gaussian (statistical, stated tolerances)', () => {
    const inputs = 400;
    const uniform = makeAdapter(inputs, 16, { rank: 16, seed: 5 });
    const a = valuesOf(uniform.adapter.a);
    const bound = 1 / Math.sqrt(inputs);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    // Var of U(−c, c) is c²/3; 6400 draws give a relative standard error of the variance ≈ 1.1 %.
    const variance = a.reduce((sum, value) => sum + value * value, 0) / a.length;
    expect(Math.abs(variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.05);
    uniform.free();
    const gaussian = makeAdapter(inputs, 16, { rank: 16, seed: 5, initialization: 'gaussian' });
    const g = valuesOf(gaussian.adapter.a);
    const std = Math.sqrt(g.reduce((sum, value) => sum + value * value, 0) / g.length);
    expect(Math.abs(std / (1 / 16) - 1)).toBeLessThan(0.03);
    expect(Array.from(gaussian.adapter.b.dataSync()).every((value) => value === 0)).toBe(true);
    gaussian.free();
  });

  it('is deterministic per seed, with different A for different seeds', () => {
    const first = makeAdapter(6, 4, { seed: 9 });
    const second = makeAdapter(6, 4, { seed: 9 });
    const third = makeAdapter(6, 4, { seed: 10 });
    expect(bitIdentical(valuesOf(first.adapter.a), valuesOf(second.adapter.a))).toBe(true);
    expect(bitIdentical(valuesOf(first.adapter.a), valuesOf(third.adapter.a))).toBe(false);
    first.free();
    second.free();
    third.free();
  });

  it('applies dropout to the adapter input only while training, with inverted scaling', () => {
    const { adapter, free } = makeAdapter(64, 2, { rank: 2, alpha: 2, dropout: 0.5, seed: 3 });
    tf.tidy(() => adapter.b.assign(tf.ones([2, 2])));
    const rows = 2000;
    const x = tf.ones([rows, 64]);
    const evaluation = adapter.apply(x);
    const again = adapter.apply(x, { training: false });
    expect(bitIdentical(valuesOf(evaluation), valuesOf(again))).toBe(true);
    const trained = adapter.apply(x, { training: true });
    expect(maxDifference(trained, evaluation)).toBeGreaterThan(1e-3);
    // The base part is untouched by dropout, and inverted dropout keeps the branch unbiased: with
    // rate 0.5 on 64 inputs a row's update has a relative standard deviation of about 1, so the
    // mean over 2000 rows has a standard error of about 2.2 %; 10 % is over 4 standard errors.
    const base = tf.tidy(() => tf.add(tf.matMul(x, adapter.kernel), adapter.bias!));
    const trainedUpdate = tf.tidy(() => tf.mean(tf.sub(trained, base), 0));
    const evalUpdate = tf.tidy(() => tf.mean(tf.sub(evaluation, base), 0));
    const relative =
      maxDifference(trainedUpdate, evalUpdate) /
      tf.tidy(() => tf.max(tf.abs(evalUpdate)).dataSync()[0]!);
    expect(relative).toBeLessThan(0.1);
    // About half of the adapter inputs are dropped: rows differ from one another.
    expect(tf.tidy(() => tf.max(tf.moments(trained, 0).variance).dataSync()[0]!)).toBeGreaterThan(
      1e-4,
    );
    tf.dispose([x, evaluation, again, trained, base, trainedUpdate, evalUpdate]);
    free();
  });

  it('freezes the base: only A and B change during training, the kernel and bias stay bit-identical', () => {
    const { adapter, free } = makeAdapter(6, 5, { rank: 2, dropout: 0.1 });
    expect(adapter.kernel.trainable).toBe(false);
    expect(adapter.bias!.trainable).toBe(false);
    const kernel = valuesOf(adapter.kernel);
    const bias = valuesOf(adapter.bias!);
    const a = valuesOf(adapter.a);
    train(adapter, 4);
    expect(bitIdentical(valuesOf(adapter.kernel), kernel)).toBe(true);
    expect(bitIdentical(valuesOf(adapter.bias!), bias)).toBe(true);
    expect(bitIdentical(valuesOf(adapter.a), a)).toBe(false);
    free();
  });

  it('refuses to merge twice, to unmerge an unmerged adapter and to train while merged', () => {
    const { adapter, free } = makeAdapter(4, 3);
    expectInvalidArgument(() => adapter.unmerge(), 'unmerge', 'adapter', ['not merged']);
    adapter.merge();
    expectInvalidArgument(() => adapter.merge(), 'merge', 'adapter', ['already merged']);
    expectInvalidArgument(() => adapter.safeMerge(), 'safeMerge', 'adapter', ['already merged']);
    const x = tf.ones([2, 4]);
    expectInvalidArgument(
      () => adapter.apply(x, { training: true }),
      'LoraAdapter.apply',
      'adapter',
      ['unmerge'],
    );
    adapter.unmerge();
    x.dispose();
    free();
  });

  it('refuses a non-finite merge in safeMerge and leaves the kernel unchanged', () => {
    const { adapter, free } = makeAdapter(4, 3);
    tf.tidy(() => adapter.b.assign(tf.fill([2, 3], Number.NaN)));
    const before = valuesOf(adapter.kernel);
    expectInvalidArgument(() => adapter.safeMerge(), 'safeMerge', 'adapter', ['NaN']);
    expect(adapter.merged).toBe(false);
    expect(bitIdentical(valuesOf(adapter.kernel), before)).toBe(true);
    free();
  });
});
