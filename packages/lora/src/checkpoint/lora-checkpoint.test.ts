import { createRng, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { readSafetensors, SafetensorsError, writeSafetensors } from '@lm-objectives/safetensors';
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
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import { decodeLoraCheckpoint, encodeLoraCheckpoint } from './encode-lora-checkpoint';
import { loadLoraAdapters, loraOptionsFromCheckpoint } from './load-lora-adapters';
import { LORA_CHECKPOINT_FORMAT, LORA_LAYOUT } from './lora-checkpoint';
import { loraMetadataToStrings } from './lora-checkpoint-strings';
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
      formatVersion: 2,
      rank: 3,
      alpha: 6,
      rsLora: true,
      scaling: 6 / Math.sqrt(3),
      layout: LORA_LAYOUT,
    });
    expect(checkpoint.metadata.targets.map((target) => [target.name, target.baseShape])).toEqual([
      ['h0/q', [6, 6]],
      ['h0/v', [6, 4]],
    ]);
    const bytes = encodeLoraCheckpoint(checkpoint);
    const decoded = decodeLoraCheckpoint(bytes);
    expect(decoded.metadata).toEqual(checkpoint.metadata);
    expect([...decoded.weights.keys()]).toEqual(['h0/q', 'h0/v']);
    for (const [name, { a, b }] of checkpoint.weights) {
      expect(bitIdentical(decoded.weights.get(name)!.a, a), name).toBe(true);
      expect(bitIdentical(decoded.weights.get(name)!.b, b), name).toBe(true);
    }

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

  it('writes a safetensors file: lora_A [in, r] and lora_B [r, out] per target, the settings and a checksum in __metadata__', () => {
    const first = trainedAdapters(4);
    const checkpoint = saveLoraAdapters(first.lora);
    const file = readSafetensors(encodeLoraCheckpoint(checkpoint), { requireChecksum: true });
    expect(
      [...file.tensors].map(([name, tensor]) => [name, tensor.dtype, tensor.shape]).sort(),
    ).toEqual([
      ['h0/q.lora_A', 'F32', [6, 3]],
      ['h0/q.lora_B', 'F32', [3, 6]],
      ['h0/v.lora_A', 'F32', [6, 3]],
      ['h0/v.lora_B', 'F32', [3, 4]],
    ]);
    expect(
      bitIdentical(
        file.tensors.get('h0/v.lora_B')!.data as Float32Array,
        checkpoint.weights.get('h0/v')!.b,
      ),
    ).toBe(true);
    const { content_crc32: checksum, ...metadata } = file.metadata;
    expect(checksum).toMatch(/^[0-9a-f]{8}$/);
    expect(metadata).toEqual({
      format: 'lm-objectives/lora-adapters',
      formatVersion: '2',
      rank: '3',
      alpha: '6',
      rsLora: 'true',
      scaling: String(6 / Math.sqrt(3)),
      dropout: '0',
      initialization: 'uniform',
      layout: 'kernel[in,out] + scaling * A[in,r] @ B[r,out]',
      targets: '[{"name":"h0/q","baseShape":[6,6]},{"name":"h0/v","baseShape":[6,4]}]',
    });
    first.lora.dispose();
    first.model.free();
  });

  it('detects every flipped bit of the weights and a truncated file, naming the key and the fix', () => {
    const first = trainedAdapters(2);
    const bytes = encodeLoraCheckpoint(saveLoraAdapters(first.lora));
    const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    for (let at = dataStart; at < bytes.length; at++) {
      const corrupt = bytes.slice();
      corrupt[at]! ^= 1 << (at % 8);
      const error = thrownBy(() => decodeLoraCheckpoint(corrupt));
      expect(SafetensorsError.isInstance(error), `byte ${at}`).toBe(true);
      expect((error as SafetensorsError).code).toBe('checksum-mismatch');
      expect((error as Error).message).toMatch(
        /^decodeLoraCheckpoint: '__metadata__\.content_crc32' .*Fix: .*restore it/,
      );
    }
    const truncated = thrownBy(() => decodeLoraCheckpoint(bytes.subarray(0, bytes.length - 8)));
    expect((truncated as SafetensorsError).code).toBe('truncated');
    expect((truncated as Error).message).toMatch(
      /^decodeLoraCheckpoint: 'h0\/.*' is invalid \(truncated\)/,
    );
    first.lora.dispose();
    first.model.free();
  });

  it('detects an edited setting (α 6 → 7, same length) through the checksum', () => {
    const first = trainedAdapters(2);
    const bytes = encodeLoraCheckpoint(saveLoraAdapters(first.lora));
    const at = new TextDecoder().decode(bytes).indexOf('"alpha":"6"') + '"alpha":"'.length;
    const edited = bytes.slice();
    edited[at] = '7'.charCodeAt(0);
    expect((thrownBy(() => decodeLoraCheckpoint(edited)) as SafetensorsError).code).toBe(
      'checksum-mismatch',
    );
    first.lora.dispose();
    first.model.free();
  });

  it('refuses the pre-release binary format with the way to convert it, and other files by their format', () => {
    const legacy = new Uint8Array(64);
    legacy.set(new TextEncoder().encode('LORA'), 0);
    expectInvalidArgument(() => decodeLoraCheckpoint(legacy), 'decodeLoraCheckpoint', 'bytes', [
      "starting with 'LORA'",
      'encodeLoraCheckpoint(saveLoraAdapters(adapters))',
    ]);
    const peftLike = writeSafetensors(
      { 'x.lora_A.weight': { shape: [1, 1], data: Float32Array.of(1) } },
      { format: 'pt' },
    );
    const peftError = thrownBy(() => decodeLoraCheckpoint(peftLike)) as SafetensorsError;
    expect([peftError.code, peftError.key, peftError.functionName]).toEqual([
      'unexpected-format',
      '__metadata__.format',
      'decodeLoraCheckpoint',
    ]);
    expect(peftError.message).toContain('readPeftAdapter');
    const first = trainedAdapters(3);
    const checkpoint = saveLoraAdapters(first.lora);
    // The same content rewritten without its checksum: corruption could no longer be detected.
    const stripped = writeSafetensors(
      readSafetensors(encodeLoraCheckpoint(checkpoint)).tensors as never,
      loraMetadataToStrings(checkpoint.metadata),
    );
    // A well-formed, checksummed file whose metadata lies (a writer bug, or a crafted file).
    const lying = writeSafetensors(
      {},
      { ...loraMetadataToStrings(checkpoint.metadata), targets: '[{"name":"h0/q"}]' },
      { checksum: true },
    );
    expectInvalidArgument(
      () => decodeLoraCheckpoint(lying),
      'decodeLoraCheckpoint',
      'bytes.__metadata__.targets[0]',
      ['baseShape'],
    );
    const strippedError = thrownBy(() => decodeLoraCheckpoint(stripped)) as SafetensorsError;
    expect([strippedError.code, strippedError.key]).toEqual([
      'missing-checksum',
      '__metadata__.content_crc32',
    ]);
    expectInvalidArgument(
      () =>
        loadLoraAdapters(first.lora, {
          metadata: { ...checkpoint.metadata, formatVersion: 1 as 2 },
          weights: checkpoint.weights,
        }),
      'loadLoraAdapters',
      'checkpoint.metadata.format',
      ['version 1'],
    );
    first.lora.dispose();
    first.model.free();
  });

  it('refuses non-finite weights by default, changing nothing, and loads them with allowNonFinite', () => {
    const first = trainedAdapters(5);
    const checkpoint = saveLoraAdapters(first.lora);
    const diverged = decodeLoraCheckpoint(encodeLoraCheckpoint(checkpoint));
    diverged.weights.get('h0/v')!.b[4] = Number.NaN;
    const target = trainedAdapters(6);
    const before = snapshotAdapters(target.lora);
    expectInvalidArgument(
      () => loadLoraAdapters(target.lora, diverged),
      'loadLoraAdapters',
      "checkpoint.weights['h0/v'].b[4]",
      ['finite weights', 'allowNonFinite: true'],
    );
    expectUnchanged(target.lora, before);
    loadLoraAdapters(target.lora, diverged, { allowNonFinite: true });
    expect(Number.isNaN(target.lora.adapters.get('h0/v')!.b.dataSync()[4]!)).toBe(true);
    target.lora.dispose();
    target.model.free();
    first.lora.dispose();
    first.model.free();
  });

  it('changes nothing when a load is refused, whatever the reason', () => {
    const source = trainedAdapters(7);
    const checkpoint = saveLoraAdapters(source.lora);
    const target = trainedAdapters(8);
    const before = snapshotAdapters(target.lora);
    const wrongShape = {
      ...checkpoint,
      metadata: {
        ...checkpoint.metadata,
        targets: [checkpoint.metadata.targets[0]!, { name: 'h0/v', baseShape: [6, 5] as const }],
      },
      weights: new Map([
        ['h0/q', checkpoint.weights.get('h0/q')!],
        ['h0/v', { a: new Float32Array(18), b: new Float32Array(15) }],
      ]),
    };
    const infinite = new Map(checkpoint.weights);
    infinite.set('h0/q', {
      ...infinite.get('h0/q')!,
      a: infinite.get('h0/q')!.a.map((v, i) => (i === 17 ? Infinity : v)),
    });
    for (const [reason, load] of [
      ['a kernel shape that differs', () => loadLoraAdapters(target.lora, wrongShape)],
      [
        'an infinite value in the last weight checked',
        () => loadLoraAdapters(target.lora, { ...checkpoint, weights: infinite }),
      ],
      [
        'a misspelt option',
        () => loadLoraAdapters(target.lora, checkpoint, { allownonfinite: true } as never),
      ],
    ] as const) {
      expect(InvalidArgumentError.isInstance(thrownBy(load)), reason).toBe(true);
      expectUnchanged(target.lora, before);
    }
    source.lora.dispose();
    source.model.free();
    target.lora.dispose();
    target.model.free();
  });

  it("suggests the closest option name for a misspelt one ('allownonfinite' → 'allowNonFinite')", () => {
    const first = trainedAdapters(9);
    const checkpoint = saveLoraAdapters(first.lora);
    expectInvalidArgument(
      () => loadLoraAdapters(first.lora, checkpoint, { allownonfinite: true } as never),
      'loadLoraAdapters',
      'options.allownonfinite',
      ["'allowNonFinite'"],
    );
    first.lora.dispose();
    first.model.free();
  });
});

/** Copies of every A and B of a set. */
function snapshotAdapters(set: LoraAdapterSet): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const [name, adapter] of set.adapters) {
    values.set(`${name}.a`, valuesOf(adapter.a));
    values.set(`${name}.b`, valuesOf(adapter.b));
  }
  return values;
}

/** Expects every A and B of a set bit-identical to a snapshot. */
function expectUnchanged(set: LoraAdapterSet, before: Map<string, Float32Array>): void {
  for (const [key, values] of snapshotAdapters(set)) {
    expect(bitIdentical(values, before.get(key)!), key).toBe(true);
  }
}
