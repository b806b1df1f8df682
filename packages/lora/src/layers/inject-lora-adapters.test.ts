import { createRng } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import {
  bitIdentical,
  expectInvalidArgument,
  maxDifference,
  seededNormal,
  valuesOf,
} from '../../test/helpers';
import { decodeLoraCheckpoint, encodeLoraCheckpoint } from '../checkpoint/encode-lora-checkpoint';
import { loadLoraAdapters } from '../checkpoint/load-lora-adapters';
import { saveLoraAdapters } from '../checkpoint/save-lora-adapters';
import { injectLoraAdapters, loraAdaptersOf } from './inject-lora-adapters';
import { LoraDense } from './lora-dense';

/** A functional attention-shaped block: input → query, value → concat → output. Sizes 8 → 8/5 → 3. */
function functionalModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [8] });
  const query = tfl.layers
    .dense({ units: 8, name: 'attention/query' })
    .apply(input) as tfl.SymbolicTensor;
  const key = tfl.layers
    .dense({ units: 8, name: 'attention/key' })
    .apply(input) as tfl.SymbolicTensor;
  const value = tfl.layers
    .dense({ units: 5, name: 'attention/value', activation: 'tanh' })
    .apply(input) as tfl.SymbolicTensor;
  const joined = tfl.layers.concatenate().apply([query, key, value]) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 3, name: 'output' }).apply(joined) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

function sequentialModel(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 7, inputShape: [4], name: 'dense_in', activation: 'relu' }),
      tfl.layers.dense({ units: 6, name: 'dense_mid' }),
      tfl.layers.dense({ units: 2, name: 'dense_out' }),
    ],
  });
}

function snapshot(model: tfl.LayersModel, trainable: boolean): Map<string, Float32Array> {
  return new Map(
    model.weights
      .filter((weight) => weight.trainable === trainable)
      .map((weight) => [weight.originalName, valuesOf(weight.read())]),
  );
}

function expectUnchanged(before: Map<string, Float32Array>, model: tfl.LayersModel): void {
  for (const weight of model.weights) {
    const saved = before.get(weight.originalName);
    if (saved) expect(bitIdentical(valuesOf(weight.read()), saved), weight.originalName).toBe(true);
  }
}

describeEachBackend('injectLoraAdapters', () => {
  it('adapts the query and value Dense layers of a functional model, freezing the rest, equal to the base at initialisation', () => {
    const model = functionalModel();
    const {
      model: adapted,
      adapters,
      report,
    } = injectLoraAdapters(model, { rank: 2, alpha: 4, seed: 3 });
    expect(adapted.layers.map((layer) => `${layer.name}:${layer.getClassName()}`)).toContain(
      'attention/query:LoraDense',
    );
    expect(adapted.getLayer('attention/key').getClassName()).toBe('Dense');
    expect([...adapters.adapters.keys()]).toEqual(['attention/query', 'attention/value']);
    expect(adapted.trainableWeights.map((weight) => weight.originalName).sort()).toEqual([
      'attention/query/lora_A',
      'attention/query/lora_B',
      'attention/value/lora_A',
      'attention/value/lora_B',
    ]);
    // Base: 3 × (8·8 + 8) … = 72 + 72 + 45 + (21·3 + 3) = 255; adapters: 2·(8+8) + 2·(8+5) = 58.
    expect(report).toMatchObject({
      baseParameters: 255,
      adapterParameters: 58,
      trainableParameters: 58,
      totalParameters: 313,
    });
    expect(adapted.countParams()).toBe(313);
    const x = seededNormal(createRng(1), [5, 8]);
    const expected = model.predict(x) as tf.Tensor;
    const actual = adapted.predict(x) as tf.Tensor;
    expect(bitIdentical(valuesOf(actual), valuesOf(expected))).toBe(true);
    tf.dispose([x, expected, actual]);
    adapted.dispose();
    model.dispose();
  });

  it('adapts a Sequential model chosen by pattern, and model.fit trains only the adapters', async () => {
    const model = sequentialModel();
    const { model: adapted, adapters } = injectLoraAdapters(model, {
      targets: /dense_(in|mid)/,
      rank: 2,
      alpha: 2,
      dropout: 0.1,
    });
    expect(adapted.getClassName()).toBe('Sequential');
    const frozen = snapshot(adapted, false);
    expect([...frozen.keys()].sort()).toEqual([
      'dense_in/bias',
      'dense_in/kernel',
      'dense_mid/bias',
      'dense_mid/kernel',
      'dense_out/bias',
      'dense_out/kernel',
    ]);
    const random = createRng(4);
    const xs = seededNormal(random, [32, 4]);
    const ys = seededNormal(random, [32, 2]);
    adapted.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const history = await adapted.fit(xs, ys, {
      epochs: 15,
      batchSize: 8,
      verbose: 0,
      shuffle: false,
    });
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    expectUnchanged(frozen, adapted);
    expect(valuesOf(adapters.adapters.get('dense_mid')!.b).some((value) => value !== 0)).toBe(true);
    // Predictions do not use dropout: two calls agree exactly.
    const first = adapted.predict(xs) as tf.Tensor;
    const second = adapted.predict(xs) as tf.Tensor;
    expect(bitIdentical(valuesOf(first), valuesOf(second))).toBe(true);
    tf.dispose([xs, ys, first, second]);
    adapted.dispose();
    model.dispose();
  });

  it('trains only the adapters in a custom loop, with or without a variable list', () => {
    const model = functionalModel();
    const { model: adapted, adapters } = injectLoraAdapters(model, { rank: 2 });
    const frozen = snapshot(adapted, false);
    const random = createRng(6);
    const xs = seededNormal(random, [6, 8]);
    const ys = seededNormal(random, [6, 3]);
    const optimizer = tf.train.sgd(0.1);
    const loss = () =>
      tf.mean(
        tf.square(tf.sub(adapted.apply(xs, { training: true }) as tf.Tensor, ys)),
      ) as tf.Scalar;
    for (let step = 0; step < 3; step++) optimizer.minimize(loss);
    optimizer.minimize(loss, false, adapters.trainableWeights());
    expectUnchanged(frozen, adapted);
    expect(valuesOf(adapters.adapters.get('attention/value')!.b).some((value) => value !== 0)).toBe(
      true,
    );
    optimizer.dispose();
    tf.dispose([xs, ys]);
    adapted.dispose();
    model.dispose();
  });

  it('gives merged predictions equal to unmerged within 1e-5 after training (non-square 8→5 and square 8→8), and unmerge restores the kernels within 1e-6', () => {
    const model = functionalModel();
    const { model: adapted, adapters } = injectLoraAdapters(model, { rank: 3, alpha: 12 });
    const random = createRng(9);
    tf.tidy(() => {
      for (const adapter of adapters.adapters.values())
        adapter.b.assign(seededNormal(random, adapter.b.shape, 0.2));
    });
    const kernels = [...adapters.adapters.values()].map((adapter) => valuesOf(adapter.kernel));
    const x = seededNormal(random, [4, 8]);
    const unmerged = adapted.predict(x) as tf.Tensor;
    adapters.merge();
    const merged = adapted.predict(x) as tf.Tensor;
    expect(maxDifference(merged, unmerged)).toBeLessThanOrEqual(1e-5);
    expect(adapted.getLayer('attention/value').getConfig()['merged']).toBe(true);
    adapters.unmerge();
    [...adapters.adapters.values()].forEach((adapter, index) => {
      const restored = valuesOf(adapter.kernel);
      expect(
        Math.max(...restored.map((value, i) => Math.abs(value - kernels[index]![i]!))),
      ).toBeLessThanOrEqual(1e-6);
    });
    tf.dispose([x, unmerged, merged]);
    adapted.dispose();
    model.dispose();
  });

  it('serialises the LoRA model whole (config, merge state and weights) and loads it back with identical outputs', async () => {
    const model = functionalModel();
    const { model: adapted, adapters } = injectLoraAdapters(model, {
      rank: 2,
      alpha: 6,
      rsLora: true,
      seed: 2,
    });
    const random = createRng(12);
    tf.tidy(() => {
      for (const adapter of adapters.adapters.values())
        adapter.b.assign(seededNormal(random, adapter.b.shape, 0.2));
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await adapted.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const layer = loaded.getLayer('attention/value');
    expect(layer).toBeInstanceOf(LoraDense);
    expect((layer as LoraDense).rsLora).toBe(true);
    expect((layer as LoraDense).adapter.scaling).toBeCloseTo(6 / Math.sqrt(2), 12);
    const x = seededNormal(random, [3, 8]);
    const expected = adapted.predict(x) as tf.Tensor;
    const actual = loaded.predict(x) as tf.Tensor;
    expect(bitIdentical(valuesOf(actual), valuesOf(expected))).toBe(true);
    expect(loraAdaptersOf(loaded).trainableWeights()).toHaveLength(4);
    tf.dispose([x, expected, actual]);
    loaded.dispose();
    adapted.dispose();
    model.dispose();
  });

  it('saves adapter weights only and loads them into a fresh injection of the base model with identical outputs', () => {
    const model = functionalModel();
    const first = injectLoraAdapters(model, { rank: 2, seed: 1 });
    const random = createRng(13);
    tf.tidy(() => {
      for (const adapter of first.adapters.adapters.values()) {
        adapter.a.assign(seededNormal(random, adapter.a.shape, 0.3));
        adapter.b.assign(seededNormal(random, adapter.b.shape, 0.3));
      }
    });
    const bytes = encodeLoraCheckpoint(saveLoraAdapters(first.adapters));
    const second = injectLoraAdapters(model, { rank: 2, seed: 99 });
    loadLoraAdapters(second.adapters, decodeLoraCheckpoint(bytes));
    const x = seededNormal(random, [3, 8]);
    const expected = first.model.predict(x) as tf.Tensor;
    const actual = second.model.predict(x) as tf.Tensor;
    expect(bitIdentical(valuesOf(actual), valuesOf(expected))).toBe(true);
    expect(bytes.byteLength).toBeLessThan(first.report.baseBytes);
    tf.dispose([x, expected, actual]);
    first.model.dispose();
    second.model.dispose();
    model.dispose();
  });

  it('refuses a rank above a Dense layer’s min(in, out) before building anything, and so does LoraDense', () => {
    const model = sequentialModel(); // dense_out is [6, 2]
    const before = tf.memory().numTensors;
    expectInvalidArgument(
      () => injectLoraAdapters(model, { rank: 3, targets: ['dense_mid', 'dense_out'] }),
      'injectLoraAdapters',
      'options.rank',
      ["'dense_out'", 'at most 2'],
    );
    expect(tf.memory().numTensors).toBe(before);
    const layer = new LoraDense({ units: 2, rank: 3, name: 'narrow' });
    expectInvalidArgument(() => layer.build([null, 6]), 'LoraDense.build', 'args.rank', [
      'at most 2',
    ]);
    model.dispose();
  });

  it('lists the Dense layers when no name matches the default targets, and refuses names that do not exist', () => {
    const model = sequentialModel();
    expectInvalidArgument(
      () => injectLoraAdapters(model),
      'injectLoraAdapters',
      'options.targets',
      ["'dense_in', 'dense_mid', 'dense_out'", 'matched none'],
    );
    expectInvalidArgument(
      () => injectLoraAdapters(model, { targets: ['dense_in', 'dense_typo'] }),
      'injectLoraAdapters',
      'options.targets',
      ['"dense_typo"'],
    );
    expectInvalidArgument(
      () => injectLoraAdapters({} as tfl.LayersModel),
      'injectLoraAdapters',
      'model',
    );
    model.dispose();
  });
});
