import { createRng } from '@lm-objectives/core';
import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { adaptedLinearFloat64 } from '../../test/float64-linear';
import { bitIdentical, expectInvalidArgument, seededNormal, valuesOf } from '../../test/helpers';
import type { LinearWeights } from './create-lora-adapters';
import { createNamedLoraAdapters } from './create-named-lora-adapters';

const SHAPES: Record<string, [number, number]> = {
  'layers.0.attention.query': [6, 6],
  'layers.0.attention.value': [6, 6],
  'layers.0.feedForward.intermediate': [6, 10],
  lm_head: [6, 12],
};

function makeModel() {
  const random = createRng(7);
  const linears: Record<string, LinearWeights> = {};
  for (const [name, [inputs, outputs]] of Object.entries(SHAPES)) {
    linears[name] = tf.tidy(() => ({
      kernel: tf.variable(seededNormal(random, [inputs, outputs], 0.4)),
      bias: tf.variable(seededNormal(random, [outputs], 0.1)),
    }));
  }
  const snapshot = () =>
    Object.fromEntries(
      Object.entries(linears).map(([name, { kernel }]) => [name, valuesOf(kernel)]),
    );
  return {
    linears,
    snapshot,
    x: tf.tidy(() => seededNormal(random, [4, 6])),
    free: () => {
      for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias!]);
    },
  };
}

/** Gives every adapter of a set a seeded, non-zero B (as after training). */
function train(
  adapters: Iterable<{ b: tf.Variable; rank: number; outputSize: number }>,
  seed: number,
) {
  const random = createRng(seed);
  tf.tidy(() => {
    for (const adapter of adapters)
      adapter.b.assign(seededNormal(random, [adapter.rank, adapter.outputSize], 0.5));
  });
}

const sameKernels = (left: Record<string, Float32Array>, right: Record<string, Float32Array>) =>
  Object.keys(left).every((name) => bitIdentical(left[name]!, right[name]!));

describeEachBackend('createNamedLoraAdapters', () => {
  it('adds, switches, disables and deletes named adapters, routing linear() through the active one', () => {
    const model = makeModel();
    const base = model.snapshot();
    const adapters = createNamedLoraAdapters(model.linears);
    const sql = adapters.add('sql', { rank: 2, alpha: 4, targets: /query|value/ });
    const chat = adapters.add('chat', { rank: 3, alpha: 3, targets: 'all-linear', seed: 5 });
    expect(adapters.names).toEqual(['sql', 'chat']);
    expect([...chat.adapters.keys()]).toEqual([
      'layers.0.attention.query',
      'layers.0.attention.value',
      'layers.0.feedForward.intermediate',
    ]); // 'all-linear' leaves lm_head out
    train(sql.adapters.values(), 1);
    train(chat.adapters.values(), 2);
    expect(adapters.active).toBeNull();

    const name = 'layers.0.attention.query';
    const { kernel, bias } = model.linears[name]!;
    const x = valuesOf(model.x);
    const outputFor = (set: typeof sql | null) => {
      const adapter = set?.adapters.get(name);
      return adaptedLinearFloat64(
        x,
        4,
        valuesOf(kernel),
        valuesOf(bias!),
        6,
        6,
        adapter && {
          a: valuesOf(adapter.a),
          b: valuesOf(adapter.b),
          rank: adapter.rank,
          scaling: adapter.scaling,
        },
      );
    };
    const run = () => tf.tidy(() => valuesOf(adapters.linear(name, model.x)));

    expectRelativelyClose(run(), outputFor(null), 1e-6, 'no adapter active');
    adapters.activate('sql');
    expectRelativelyClose(run(), outputFor(sql), 1e-5, "'sql' active");
    adapters.activate('chat');
    expectRelativelyClose(run(), outputFor(chat), 1e-5, "'chat' active");
    expect(adapters.trainableWeights()).toEqual(chat.trainableWeights());
    adapters.disableAll();
    expect(adapters.active).toBeNull();
    expect(adapters.trainableWeights()).toEqual([]);
    expectRelativelyClose(run(), outputFor(null), 1e-6, 'all disabled');

    adapters.activate('sql');
    adapters.delete('sql');
    expect(adapters.names).toEqual(['chat']);
    expect(adapters.active).toBeNull();
    expect(sameKernels(model.snapshot(), base)).toBe(true);
    adapters.dispose();
    model.free();
    tf.dispose(model.x);
  });

  it('trains only the active adapter and leaves the base weights bit-identical across switches', () => {
    const model = makeModel();
    const base = model.snapshot();
    const adapters = createNamedLoraAdapters(model.linears);
    const first = adapters.add('first', { rank: 2, targets: /query/ });
    const second = adapters.add('second', { rank: 2, targets: /query|intermediate/ });
    train(first.adapters.values(), 3);
    train(second.adapters.values(), 4);
    const secondBefore = second.trainableWeights().map(valuesOf);
    const optimizer = tf.train.sgd(0.1);
    adapters.activate('first');
    for (let step = 0; step < 2; step++) {
      // No variable list: only trainable variables may move.
      optimizer.minimize(
        () => tf.sum(tf.square(adapters.linear('layers.0.attention.query', model.x))) as tf.Scalar,
      );
      adapters.activate('second');
      adapters.activate('first');
    }
    optimizer.dispose();
    expect(
      second
        .trainableWeights()
        .map(valuesOf)
        .every((values, i) => bitIdentical(values, secondBefore[i]!)),
    ).toBe(true);
    expect(first.trainableWeights().every((variable) => variable.trainable)).toBe(true);
    expect(second.trainableWeights().some((variable) => variable.trainable)).toBe(false);
    expect(Object.values(model.linears).every(({ kernel }) => !kernel.trainable)).toBe(true);
    expect(sameKernels(model.snapshot(), base)).toBe(true);
    adapters.dispose();
    // dispose restores the model's own trainable flags.
    expect(Object.values(model.linears).every(({ kernel }) => kernel.trainable)).toBe(true);
    model.free();
    tf.dispose(model.x);
  });

  it('merges one adapter into square and non-square kernels (output within 1e-5) and unmerges bit-exactly', () => {
    const model = makeModel();
    const base = model.snapshot();
    const adapters = createNamedLoraAdapters(model.linears);
    const tuned = adapters.add('tuned', { rank: 3, alpha: 6, targets: /query|intermediate/ });
    adapters.add('other', { rank: 2, targets: /value/ });
    train(tuned.adapters.values(), 9);
    adapters.activate('tuned');
    const names = ['layers.0.attention.query', 'layers.0.feedForward.intermediate'];
    const unmerged = names.map((name) => tf.tidy(() => valuesOf(adapters.linear(name, model.x))));
    adapters.merge();
    expect(adapters.merged).toBe('tuned');
    names.forEach((name, index) => {
      const merged = tf.tidy(() => valuesOf(adapters.linear(name, model.x)));
      expectRelativelyClose(merged, unmerged[index]!, 1e-5, `${name} merged vs unmerged`);
      // The merged kernel alone, against W + sAB in float64.
      const adapter = tuned.adapters.get(name)!;
      const [inputs, outputs] = SHAPES[name]!;
      const reference = adaptedLinearFloat64(
        valuesOf(model.x),
        4,
        base[name]!,
        valuesOf(model.linears[name]!.bias!),
        inputs,
        outputs,
        {
          a: valuesOf(adapter.a),
          b: valuesOf(adapter.b),
          rank: 3,
          scaling: 2,
        },
      );
      expectRelativelyClose(merged, reference, 1e-5, `${name} merged vs float64`);
    });
    expect(sameKernels(model.snapshot(), base)).toBe(false);
    expectInvalidArgument(() => adapters.activate('other'), 'NamedLoraAdapters.activate', 'name', [
      "'tuned'",
      'unmerge()',
    ]);
    expectInvalidArgument(() => adapters.delete('tuned'), 'NamedLoraAdapters.delete', 'name', [
      'unmerge()',
    ]);
    expectInvalidArgument(() => adapters.merge('other'), 'NamedLoraAdapters.merge', 'name', [
      "'tuned' is merged",
    ]);
    adapters.unmerge();
    expect(adapters.merged).toBeNull();
    expect(sameKernels(model.snapshot(), base)).toBe(true);
    // And again, through merge(name) on an inactive adapter.
    adapters.disableAll();
    adapters.merge('tuned');
    expect(adapters.active).toBe('tuned');
    adapters.unmerge();
    expect(sameKernels(model.snapshot(), base)).toBe(true);
    adapters.dispose();
    model.free();
    tf.dispose(model.x);
  });

  it('refuses unknown or duplicate names, listing the added ones', () => {
    const model = makeModel();
    const adapters = createNamedLoraAdapters(model.linears);
    adapters.add('sql', { rank: 2 });
    expectInvalidArgument(() => adapters.add('sql', { rank: 2 }), 'NamedLoraAdapters.add', 'name', [
      "'sql'",
    ]);
    expectInvalidArgument(() => adapters.activate('chat'), 'NamedLoraAdapters.activate', 'name', [
      "'sql'",
      'chat',
    ]);
    expectInvalidArgument(() => adapters.unmerge(), 'NamedLoraAdapters.unmerge', 'adapters', [
      'no merged adapter',
    ]);
    expectInvalidArgument(() => adapters.merge(), 'NamedLoraAdapters.merge', 'name', [
      'activate(name)',
    ]);
    expectInvalidArgument(
      () => adapters.add('bad', { targets: [/nothing-matches/] }),
      'createLoraAdapters',
      'options.targets',
      ['/nothing-matches/', "'layers.0.attention.query'", "'lm_head'"],
    );
    adapters.dispose();
    model.free();
    tf.dispose(model.x);
  });
});
