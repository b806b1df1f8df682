import { readSafetensors, SafetensorsError, writeSafetensors } from '@lm-objectives/safetensors';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { bitIdentical, expectInvalidArgument, thrownBy, valuesOf } from '../../test/helpers';
import {
  caseLinears,
  EXPORTED_CASE_TARGETS,
  exportedCaseData,
  trainedCaseAdapters,
} from '../../test/peft-cross-runtime-case';
import { createLoraAdapters } from '../adapter/create-lora-adapters';
import { injectLoraAdapters } from '../layers/inject-lora-adapters';
import { exportPeftAdapter } from './export-peft-adapter';
import { loadPeftAdapter } from './load-peft-adapter';
import { parsePeftLoraConfig } from './peft-config';
import { loraOptionsFromPeft, readPeftAdapter } from './read-peft-adapter';

const QUERY_A = 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight';
const QUERY_B = 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight';

/** The exported case: trained adapters on its linears, and their PEFT files. */
function exportedCase() {
  const data = exportedCaseData();
  const linears = caseLinears(data);
  const lora = trainedCaseAdapters(linears, data);
  const files = exportPeftAdapter(lora, { moduleNames: 'bert' });
  const fresh = () =>
    createLoraAdapters(linears, { rank: 4, alpha: 8, targets: EXPORTED_CASE_TARGETS, seed: 99 });
  const free = () => {
    lora.dispose();
    for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias]);
  };
  return { data, linears, lora, files, fresh, free };
}

/** The exported weights with one tensor replaced (or removed, or added). */
function withTensor(
  weights: Uint8Array,
  key: string,
  tensor?: {
    dtype?: 'F32' | 'I32' | 'F16';
    shape: number[];
    data: Float32Array | Int32Array | Uint16Array;
  },
) {
  const tensors = new Map<
    string,
    {
      dtype?: 'F32' | 'I32' | 'F16';
      shape: readonly number[];
      data: Float32Array | Int32Array | Uint16Array;
    }
  >(
    [...readSafetensors(weights).tensors].map(([name, { shape, data }]) => [
      name,
      { shape, data: data as Float32Array },
    ]),
  );
  if (tensor) tensors.set(key, tensor);
  else tensors.delete(key);
  return writeSafetensors(tensors, { format: 'pt' });
}

describeEachBackend('exportPeftAdapter and loadPeftAdapter', () => {
  it('round-trips: export → import gives bit-identical A, B and outputs', () => {
    const { data, lora, files, fresh, free } = exportedCase();
    const adapter = readPeftAdapter({ config: files.configJson, weights: files.weights });
    const loaded = fresh();
    loadPeftAdapter(loaded, adapter, { moduleNames: 'bert' });
    const x = tf.tensor2d(data.input, data.inputShape);
    for (const name of EXPORTED_CASE_TARGETS) {
      const source = lora.adapters.get(name)!;
      const copy = loaded.adapters.get(name)!;
      expect(bitIdentical(valuesOf(copy.a), valuesOf(source.a)), `${name} A`).toBe(true);
      expect(bitIdentical(valuesOf(copy.b), valuesOf(source.b)), `${name} B`).toBe(true);
      const [expected, actual] = tf.tidy(() => [
        valuesOf(lora.linear(name, x)),
        valuesOf(loaded.linear(name, x)),
      ]);
      expect(bitIdentical(actual!, expected!), `${name} output`).toBe(true);
    }
    tf.dispose(x);
    loaded.dispose();
    free();
  });

  it('stores lora_A as [r, in] and lora_B as [out, r], the transposes of A [in, r] and B [r, out]', () => {
    const { lora, files, free } = exportedCase();
    const { tensors, metadata } = readSafetensors(files.weights);
    expect(metadata).toEqual({ format: 'pt' });
    const adapter = lora.adapters.get('layers.0.feedForward.intermediate')!; // [6, 10]
    const a = tensors.get(
      'base_model.model.bert.encoder.layer.0.intermediate.dense.lora_A.weight',
    )!;
    const b = tensors.get(
      'base_model.model.bert.encoder.layer.0.intermediate.dense.lora_B.weight',
    )!;
    expect([a.shape, b.shape]).toEqual([
      [4, 6],
      [10, 4],
    ]);
    const aValues = valuesOf(adapter.a);
    const bValues = valuesOf(adapter.b);
    expect(a.data[1 * 6 + 5]).toBe(aValues[5 * 4 + 1]); // lora_A[k][i] = A[i][k]
    expect(b.data[7 * 4 + 2]).toBe(bValues[2 * 10 + 7]); // lora_B[j][k] = B[k][j]
    expect(files.config).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 8,
      use_rslora: false,
      bias: 'none',
    });
    free();
  });

  it('round-trips a tf.layers model with rsLoRA through the PEFT files', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 6, inputShape: [4], name: 'query' }),
        tfl.layers.dense({ units: 3, name: 'head' }),
      ],
    });
    const first = injectLoraAdapters(model, {
      rank: 2,
      alpha: 3,
      rsLora: true,
      targets: ['query'],
      seed: 1,
    });
    const adapter = first.adapters.adapters.get('query')!;
    tf.tidy(() => adapter.b.assign(tf.randomNormal([2, 6], 0, 1, 'float32', 5)));
    const files = exportPeftAdapter(first.adapters, { moduleNames: { query: 'encoder.query' } });
    expect(files.config.use_rslora).toBe(true);
    const second = injectLoraAdapters(model, {
      rank: 2,
      alpha: 3,
      rsLora: true,
      targets: ['query'],
      seed: 2,
    });
    loadPeftAdapter(second.adapters, readPeftAdapter(files), {
      moduleNames: { query: 'encoder.query' },
    });
    const x = tf.ones([2, 4]);
    const [left, right] = tf.tidy(() => [
      valuesOf(first.model.predict(x) as tf.Tensor),
      valuesOf(second.model.predict(x) as tf.Tensor),
    ]);
    expect(bitIdentical(left!, right!)).toBe(true);
    tf.dispose(x);
    first.model.dispose();
    second.model.dispose();
    model.dispose();
  });

  it('refuses missing and unexpected weight keys, listing them, unless allowed', () => {
    const { files, fresh, free } = exportedCase();
    const config = files.configJson;
    const missing = readPeftAdapter({ config, weights: withTensor(files.weights, QUERY_B) });
    const target = fresh();
    const before = valuesOf(target.adapters.get('layers.0.attention.value')!.a);
    expectInvalidArgument(
      () => loadPeftAdapter(target, missing, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      'adapter.tensors',
      [`missing keys '${QUERY_B}'`, 'allowMissingKeys'],
    );
    // Nothing changed.
    expect(bitIdentical(valuesOf(target.adapters.get('layers.0.attention.value')!.a), before)).toBe(
      true,
    );
    loadPeftAdapter(target, missing, { moduleNames: 'bert', allowMissingKeys: true });
    expect(bitIdentical(valuesOf(target.adapters.get('layers.0.attention.value')!.a), before)).toBe(
      false,
    );

    const extraKey = 'base_model.model.bert.encoder.layer.0.output.dense.lora_A.weight';
    const unexpected = readPeftAdapter({
      config,
      weights: withTensor(files.weights, extraKey, { shape: [4, 10], data: new Float32Array(40) }),
    });
    expectInvalidArgument(
      () => loadPeftAdapter(target, unexpected, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      'adapter.tensors',
      [`unexpected keys '${extraKey}'`],
    );
    loadPeftAdapter(target, unexpected, { moduleNames: 'bert', allowUnexpectedKeys: true });
    // Without the mapping, every key is both missing and unexpected.
    expectInvalidArgument(
      () => loadPeftAdapter(target, missing),
      'loadPeftAdapter',
      'adapter.tensors',
      ["missing keys 'base_model.model.layers.0.attention.query.lora_A.weight'", 'unexpected keys'],
    );
    target.dispose();
    free();
  });

  it('names the key of a weight with the wrong dtype or shape', () => {
    const { files, fresh, free } = exportedCase();
    const target = fresh();
    const wrongDtype = readPeftAdapter({
      config: files.configJson,
      weights: withTensor(files.weights, QUERY_A, {
        dtype: 'I32',
        shape: [4, 6],
        data: new Int32Array(24),
      }),
    });
    expectInvalidArgument(
      () => loadPeftAdapter(target, wrongDtype, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      `adapter.tensors['${QUERY_A}']`,
      ['dtype I32', 'F32, F16 or BF16'],
    );
    // [in, r] instead of [r, in]: the layout of this package, not PyTorch's.
    const transposed = readPeftAdapter({
      config: files.configJson,
      weights: withTensor(files.weights, QUERY_A, { shape: [6, 4], data: new Float32Array(24) }),
    });
    expectInvalidArgument(
      () => loadPeftAdapter(target, transposed, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      `adapter.tensors['${QUERY_A}']`,
      ['shape [4, 6]', '[r, in]', 'received shape [6, 4]'],
      'shape',
    );
    target.dispose();
    free();
  });

  it('refuses a NaN weight by default, changing no adapter, and loads it with allowNonFinite', () => {
    const { files, fresh, free } = exportedCase();
    const values = readSafetensors(files.weights).tensors.get(QUERY_B)!.data as Float32Array;
    const poisoned = Float32Array.from(values);
    poisoned[poisoned.length - 1] = Number.NaN;
    const adapter = readPeftAdapter({
      config: files.configJson,
      weights: withTensor(files.weights, QUERY_B, { shape: [6, 4], data: poisoned }),
    });
    const target = fresh();
    const before = [...target.adapters.values()].flatMap((each) => [
      valuesOf(each.a),
      valuesOf(each.b),
    ]);
    expectInvalidArgument(
      () => loadPeftAdapter(target, adapter, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      `adapter.tensors['${QUERY_B}'][23]`,
      ['finite weights', 'allowNonFinite: true'],
    );
    const after = [...target.adapters.values()].flatMap((each) => [
      valuesOf(each.a),
      valuesOf(each.b),
    ]);
    for (const [index, values] of after.entries()) {
      expect(bitIdentical(values, before[index]!)).toBe(true);
    }
    loadPeftAdapter(target, adapter, { moduleNames: 'bert', allowNonFinite: true });
    const query = target.adapters.get(EXPORTED_CASE_TARGETS[0]!)!;
    expect(Array.from(query.b.dataSync()).some(Number.isNaN)).toBe(true);
    target.dispose();
    free();
  });

  it("suggests the closest option name for a misspelt one ('allowMissingkeys' → 'allowMissingKeys')", () => {
    const { files, fresh, free } = exportedCase();
    const target = fresh();
    const adapter = readPeftAdapter({ config: files.configJson, weights: files.weights });
    expectInvalidArgument(
      () => loadPeftAdapter(target, adapter, { allowMissingkeys: true } as never),
      'loadPeftAdapter',
      'options.allowMissingkeys',
      ["'allowMissingKeys'"],
    );
    expectInvalidArgument(
      () =>
        readPeftAdapter({ config: files.configJson, weights: files.weights }, {
          on_warning: () => {},
        } as never),
      'readPeftAdapter',
      'options.on_warning',
      ["'onWarning'"],
    );
    target.dispose();
    free();
  });

  it('refuses adapters whose rank, α or rsLoRA differ, and merged adapters', () => {
    const { files, linears, free } = exportedCase();
    const adapter = readPeftAdapter({ config: files.configJson, weights: files.weights });
    const wrongRank = createLoraAdapters(linears, {
      rank: 2,
      alpha: 8,
      targets: EXPORTED_CASE_TARGETS,
    });
    expectInvalidArgument(
      () => loadPeftAdapter(wrongRank, adapter, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      'adapter.config.r',
      ['rank 2'],
      'shape',
    );
    wrongRank.dispose();
    const wrongScaling = createLoraAdapters(linears, {
      rank: 4,
      alpha: 8,
      rsLora: true,
      targets: EXPORTED_CASE_TARGETS,
    });
    expectInvalidArgument(
      () => loadPeftAdapter(wrongScaling, adapter, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      'adapter.config',
      ['use_rslora false', 'rsLora: false'],
    );
    wrongScaling.dispose();
    const merged = createLoraAdapters(linears, {
      rank: 4,
      alpha: 8,
      targets: EXPORTED_CASE_TARGETS,
    });
    merged.merge();
    expectInvalidArgument(
      () => loadPeftAdapter(merged, adapter, { moduleNames: 'bert' }),
      'loadPeftAdapter',
      'adapters',
      ['unmerge()'],
    );
    merged.unmerge();
    merged.dispose();
    free();
  });

  it('reports a truncated weights file as a SafetensorsError naming the key', () => {
    const { files, free } = exportedCase();
    const error = thrownBy(() =>
      readPeftAdapter({
        config: files.configJson,
        weights: files.weights.subarray(0, files.weights.length - 3),
      }),
    );
    expect(SafetensorsError.isInstance(error)).toBe(true);
    expect((error as SafetensorsError).code).toBe('truncated');
    expect((error as SafetensorsError).key).toMatch(
      /^base_model\.model\.bert\.encoder\.layer\.0\..*\.lora_[AB]\.weight$/,
    );
    free();
  });

  it('marks GPT-2 exports fan_in_fan_out and refuses a mapping that sends two linears to one module', () => {
    const { lora, free } = exportedCase();
    const only = createLoraAdapters(
      Object.fromEntries(
        [...lora.adapters.values()].map((adapter) => [
          adapter.name.replace('attention.query', 'attention.output'),
          { kernel: adapter.kernel, bias: adapter.bias },
        ]),
      ),
      {
        rank: 4,
        alpha: 8,
        targets: ['layers.0.attention.output', 'layers.0.feedForward.intermediate'],
      },
    );
    const files = exportPeftAdapter(only, { moduleNames: 'gpt2', taskType: 'CAUSAL_LM' });
    expect(files.config.fan_in_fan_out).toBe(true);
    expect(files.config.target_modules).toEqual([
      'transformer.h.0.attn.c_proj',
      'transformer.h.0.mlp.c_fc',
    ]);
    expect(JSON.parse(files.configJson)).toEqual(files.config);
    only.dispose();
    expectInvalidArgument(
      () => exportPeftAdapter(lora, { moduleNames: () => 'encoder.dense' }),
      'exportPeftAdapter',
      'options.moduleNames',
      ['one-to-one'],
    );
    expectInvalidArgument(
      () => exportPeftAdapter(lora, { taskType: 3 as never }),
      'exportPeftAdapter',
      'options.taskType',
      ['CAUSAL_LM'],
    );
    free();
  });

  it('lists both sides when no linear maps onto the adapter modules', () => {
    const { files, linears, free } = exportedCase();
    const adapter = readPeftAdapter({ config: files.configJson, weights: files.weights });
    expectInvalidArgument(
      () => loraOptionsFromPeft(adapter, Object.keys(linears), { moduleNames: 'llama' }),
      'loraOptionsFromPeft',
      'options.moduleNames',
      [
        "'layers.0.attention.query'",
        "'base_model.model.bert.encoder.layer.0.attention.self.query'",
      ],
    );
    free();
  });
});

describe('parsePeftLoraConfig', () => {
  const base = {
    peft_type: 'LORA',
    r: 8,
    lora_alpha: 16,
    target_modules: ['q_proj'],
    lora_dropout: 0.1,
  };

  it('fills PEFT defaults and turns unknown keys into warnings (returned and passed to onWarning)', () => {
    const seen: string[] = [];
    const { config, warnings } = parsePeftLoraConfig(
      { ...base, brand_new_option: 3, init_lora_weights: 'pissa' },
      { onWarning: (warning) => seen.push(warning.key) },
    );
    expect(config).toMatchObject({
      r: 8,
      lora_alpha: 16,
      use_rslora: false,
      bias: 'none',
      fan_in_fan_out: false,
      task_type: null,
    });
    expect(warnings.map((warning) => warning.key)).toEqual([
      'brand_new_option',
      'init_lora_weights',
    ]);
    expect(warnings[0]!.message).toContain('ignored');
    expect(warnings[1]!.message).toContain('base model');
    expect(seen).toEqual(['brand_new_option', 'init_lora_weights']);
  });

  it.each([
    [{ peft_type: 'IA3' }, 'config.peft_type', '"LORA"'],
    [{ r: 0 }, 'config.r', 'positive integer'],
    [{ lora_alpha: -1 }, 'config.lora_alpha', 'positive number'],
    [{ bias: 'all' }, 'config.bias', 'bias="none"'],
    [{ use_dora: true }, 'config.use_dora', 'DoRA'],
    [{ rank_pattern: { q_proj: 4 } }, 'config.rank_pattern', 'per-module ranks'],
    [{ modules_to_save: ['classifier'] }, 'config.modules_to_save', 'fully trained modules'],
    [{ use_rslora: 'yes' }, 'config.use_rslora', 'true or false'],
  ])('refuses %j', (override, argumentName, fragment) => {
    expectInvalidArgument(
      () => parsePeftLoraConfig({ ...base, ...override }),
      'parsePeftLoraConfig',
      argumentName,
      [fragment],
    );
  });

  it('refuses text that is not JSON', () => {
    expectInvalidArgument(() => parsePeftLoraConfig('{"r": '), 'parsePeftLoraConfig', 'config', [
      'JSON text',
    ]);
  });
});
