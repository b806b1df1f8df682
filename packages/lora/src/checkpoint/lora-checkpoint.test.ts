import { createRng, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  bitIdentical,
  expectInvalidArgument,
  seededNormal,
  thrownBy,
  valuesOf,
} from '../../test/helpers';
import { createLoraAdapters, type LinearWeights } from '../adapter/create-lora-adapters';
import { decodeLoraCheckpoint, encodeLoraCheckpoint } from './encode-lora-checkpoint';
import { loadLoraAdapters, loraOptionsFromCheckpoint } from './load-lora-adapters';
import { LORA_CHECKPOINT_FORMAT, LORA_LAYOUT } from './lora-checkpoint';
import { saveLoraAdapters } from './save-lora-adapters';

function makeLinears(sizes: Record<string, [number, number]>, seed = 1) {
  const random = createRng(seed);
  const linears: Record<string, LinearWeights> = {};
  for (const [name, [inputs, outputs]] of Object.entries(sizes)) {
    linears[name] = tf.tidy(() => ({
      kernel: tf.variable(seededNormal(random, [inputs, outputs], 0.3)),
      bias: tf.variable(seededNormal(random, [outputs], 0.1)),
    }));
  }
  return {
    linears,
    free: () => {
      for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias!]);
    },
  };
}

const SIZES: Record<string, [number, number]> = {
  'h0/q': [6, 6],
  'h0/v': [6, 4],
  'h0/mlp': [6, 9],
};

/** Adapters with trained-looking (random, non-zero) A and B. */
function trainedAdapters(seed: number, options: Parameters<typeof createLoraAdapters>[1] = {}) {
  const model = makeLinears(SIZES, seed);
  const lora = createLoraAdapters(model.linears, {
    rank: 3,
    alpha: 6,
    rsLora: true,
    seed,
    ...options,
  });
  const random = createRng(seed + 100);
  tf.tidy(() => {
    for (const adapter of lora.adapters.values()) {
      adapter.a.assign(seededNormal(random, adapter.a.shape, 0.3));
      adapter.b.assign(seededNormal(random, adapter.b.shape, 0.3));
    }
  });
  return { model, lora };
}

describeEachBackend('adapter checkpoints', () => {
  it('round-trips save → encode → decode → load with identical outputs, onto a fresh copy of the base model', () => {
    const first = trainedAdapters(1);
    const checkpoint = saveLoraAdapters(first.lora);
    expect(checkpoint.metadata).toMatchObject({
      format: LORA_CHECKPOINT_FORMAT,
      formatVersion: 1,
      rank: 3,
      alpha: 6,
      rsLora: true,
      scaling: 6 / Math.sqrt(3),
      layout: LORA_LAYOUT,
      dtype: 'float32',
      adapterParameters: 3 * (6 + 6) + 3 * (6 + 4),
    });
    expect(checkpoint.metadata.targets.map((target) => [target.name, target.baseShape])).toEqual([
      ['h0/q', [6, 6]],
      ['h0/v', [6, 4]],
    ]);
    const bytes = encodeLoraCheckpoint(checkpoint);
    const decoded = decodeLoraCheckpoint(bytes);
    expect(decoded.metadata).toEqual(checkpoint.metadata);
    expect(bitIdentical(decoded.weights, checkpoint.weights)).toBe(true);

    // The same base model (seed 1), with adapters created from the checkpoint's settings.
    const base = makeLinears(SIZES, 1);
    const restored = createLoraAdapters(base.linears, {
      ...loraOptionsFromCheckpoint(decoded),
      seed: 77,
    });
    loadLoraAdapters(restored, decoded);
    const x = seededNormal(createRng(5), [4, 6]);
    for (const name of ['h0/q', 'h0/v', 'h0/mlp']) {
      const expected = first.lora.linear(name, x);
      const actual = restored.linear(name, x);
      expect(bitIdentical(valuesOf(actual), valuesOf(expected))).toBe(true);
      tf.dispose([expected, actual]);
    }
    x.dispose();
    restored.dispose();
    base.free();
    first.lora.dispose();
    first.model.free();
  });

  it('is orders of magnitude smaller than the model when the model is large next to the rank', () => {
    const big = makeLinears({
      'layer/query': [256, 256],
      'layer/value': [256, 256],
      mlp: [256, 1024],
    });
    const lora = createLoraAdapters(big.linears, { rank: 2 });
    const bytes = encodeLoraCheckpoint(saveLoraAdapters(lora));
    const report = lora.parameterReport();
    expect(report.adapterParameters).toBe(2 * 2 * (256 + 256));
    expect(report.baseBytes / bytes.byteLength).toBeGreaterThan(100);
    expect(bytes.byteLength).toBeLessThan(report.adapterBytes + 1024); // a small JSON header
    lora.dispose();
    big.free();
  });

  it('refuses to load onto kernels of another shape, with a clear error', () => {
    const first = trainedAdapters(1);
    const checkpoint = saveLoraAdapters(first.lora);
    const other = makeLinears({ 'h0/q': [6, 6], 'h0/v': [6, 5], 'h0/mlp': [6, 9] });
    const lora = createLoraAdapters(other.linears, loraOptionsFromCheckpoint(checkpoint));
    const before = valuesOf(lora.adapters.get('h0/q')!.a);
    const error = expectInvalidArgument(
      () => loadLoraAdapters(lora, checkpoint),
      'loadLoraAdapters',
      "checkpoint.metadata.targets['h0/v'].baseShape",
      ['[6, 5]', '[6, 4]'],
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(bitIdentical(valuesOf(lora.adapters.get('h0/q')!.a), before)).toBe(true); // nothing loaded
    lora.dispose();
    other.free();
    first.lora.dispose();
    first.model.free();
  });

  it('refuses another rank, another α or rsLoRA (the scaling), other targets, and merged adapters', () => {
    const first = trainedAdapters(1);
    const checkpoint = saveLoraAdapters(first.lora);
    const base = makeLinears(SIZES, 1);
    const wrongRank = createLoraAdapters(base.linears, {
      ...loraOptionsFromCheckpoint(checkpoint),
      rank: 2,
    });
    expect(
      ShapeMismatchError.isInstance(thrownBy(() => loadLoraAdapters(wrongRank, checkpoint))),
    ).toBe(true);
    wrongRank.dispose();
    const wrongScaling = createLoraAdapters(base.linears, {
      ...loraOptionsFromCheckpoint(checkpoint),
      rsLora: false,
    });
    expectInvalidArgument(
      () => loadLoraAdapters(wrongScaling, checkpoint),
      'loadLoraAdapters',
      'checkpoint.metadata',
      ['rsLora true', 'rank: 3, alpha: 6, rsLora: true'],
    );
    wrongScaling.dispose();
    const wrongTargets = createLoraAdapters(base.linears, {
      ...loraOptionsFromCheckpoint(checkpoint),
      targets: ['h0/q', 'h0/mlp'],
    });
    expectInvalidArgument(
      () => loadLoraAdapters(wrongTargets, checkpoint),
      'loadLoraAdapters',
      'checkpoint.metadata.targets',
      ["adapt 'h0/v' too", "do not adapt 'h0/mlp'"],
    );
    wrongTargets.dispose();
    const merged = createLoraAdapters(base.linears, loraOptionsFromCheckpoint(checkpoint));
    merged.merge();
    expectInvalidArgument(
      () => loadLoraAdapters(merged, checkpoint),
      'loadLoraAdapters',
      'adapters',
      ['unmerge'],
    );
    merged.unmerge();
    merged.dispose();
    base.free();
    first.lora.dispose();
    first.model.free();
  });

  it('refuses corrupt bytes and truncated checkpoints', () => {
    const first = trainedAdapters(2);
    const checkpoint = saveLoraAdapters(first.lora);
    const bytes = encodeLoraCheckpoint(checkpoint);
    expectInvalidArgument(
      () => decodeLoraCheckpoint(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])),
      'decodeLoraCheckpoint',
      'bytes',
      ['LORA'],
    );
    const error = thrownBy(() => decodeLoraCheckpoint(bytes.subarray(0, bytes.length - 8)));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('targets[1]');
    expectInvalidArgument(
      () =>
        loadLoraAdapters(first.lora, {
          metadata: { ...checkpoint.metadata, formatVersion: 2 as 1 },
          weights: checkpoint.weights,
        }),
      'loadLoraAdapters',
      'checkpoint.metadata.format',
      ['version 2'],
    );
    first.lora.dispose();
    first.model.free();
  });
});
