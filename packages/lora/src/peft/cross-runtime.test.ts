// The cross-runtime check with PyTorch: scripts/peft/generate_torch_fixtures.py applied the
// adapter exported here to torch.nn.Linear (float64), and wrote a PEFT-layout adapter of its own.

import { readFileSync } from 'node:fs';
import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { valuesOf } from '../../test/helpers';
import {
  caseLinears,
  EXPORTED_CASE_OPTIONS,
  exportedCaseData,
  trainedCaseAdapters,
} from '../../test/peft-cross-runtime-case';
import { createLoraAdapters } from '../adapter/create-lora-adapters';
import { exportPeftAdapter } from './export-peft-adapter';
import { loadPeftAdapter } from './load-peft-adapter';
import type { PeftConfigWarning } from './peft-config';
import { loraOptionsFromPeft, readPeftAdapter } from './read-peft-adapter';
import { transposeMatrix } from './transpose-matrix';

const fixture = (path: string) => readFileSync(new URL(`./__fixtures__/${path}`, import.meta.url));
const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));

const freeLinears = (linears: Record<string, { kernel: tf.Variable; bias: tf.Variable }>) => {
  for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias]);
};

describeEachBackend('PEFT adapters against PyTorch', () => {
  it('exports byte for byte the committed adapter that the PyTorch script read', () => {
    const data = exportedCaseData();
    expect(json('exported/case.golden.json')).toEqual(JSON.parse(JSON.stringify(data)));
    const linears = caseLinears(data);
    const lora = trainedCaseAdapters(linears, data);
    const files = exportPeftAdapter(lora, EXPORTED_CASE_OPTIONS);
    expect(files.configJson).toBe(fixture('exported/adapter_config.golden.json').toString('utf8'));
    expect(files.weights).toEqual(new Uint8Array(fixture('exported/adapter_model.safetensors')));
    lora.dispose();
    freeLinears(linears);
  });

  it('computes the outputs torch.nn.Linear gives with W + (α/r)·B·A, unmerged and merged (1e-5)', () => {
    const data = exportedCaseData();
    const expected = json('exported/torch-expected.golden.json') as {
      scaling: number;
      adapted: string[];
      outputs: Record<string, number[]>;
    };
    const linears = caseLinears(data);
    // Load the committed file (not the in-memory adapters) onto fresh adapters.
    const adapter = readPeftAdapter({
      config: fixture('exported/adapter_config.golden.json').toString('utf8'),
      weights: new Uint8Array(fixture('exported/adapter_model.safetensors')),
    });
    expect(adapter.warnings).toEqual([]);
    const options = loraOptionsFromPeft(adapter, Object.keys(linears), { moduleNames: 'bert' });
    expect(options.targets).toEqual(expected.adapted);
    const lora = createLoraAdapters(linears, options);
    expect(lora.options.scaling).toBe(expected.scaling);
    loadPeftAdapter(lora, adapter, { moduleNames: 'bert' });
    const x = tf.tensor2d(data.input, data.inputShape);
    const run = () =>
      Object.fromEntries(
        Object.keys(expected.outputs).map((name) => [
          name,
          tf.tidy(() => valuesOf(lora.linear(name, x))),
        ]),
      );
    const unmerged = run();
    lora.merge();
    const merged = run();
    for (const name of Object.keys(expected.outputs)) {
      expectRelativelyClose(unmerged[name]!, expected.outputs[name]!, 1e-5, `${name} unmerged`);
      expectRelativelyClose(merged[name]!, expected.outputs[name]!, 1e-5, `${name} merged`);
    }
    lora.unmerge();
    tf.dispose(x);
    lora.dispose();
    freeLinears(linears);
  });

  it('loads the PEFT adapter PyTorch wrote (LLaMA names, rsLoRA, float16) and matches its outputs (1e-5)', () => {
    const torchCase = json('from-torch/case.golden.json') as {
      rank: number;
      alpha: number;
      scaling: number;
      adapted: string[];
      base: Record<string, { weight: number[]; bias: number[]; shape: [number, number] }>;
      inputs: Record<string, number[]>;
      outputs: Record<string, number[]>;
    };
    // torch stores weight [out, in]; this project's kernel is its transpose [in, out].
    const linears = caseLinears({
      linears: Object.fromEntries(
        Object.entries(torchCase.base).map(
          ([
            name,
            {
              weight,
              bias,
              shape: [outputs, inputs],
            },
          ]) => [
            name,
            {
              kernel: [...transposeMatrix(weight, outputs, inputs)],
              bias,
              shape: [inputs, outputs] as [number, number],
            },
          ],
        ),
      ),
    });
    const warnings: PeftConfigWarning[] = [];
    const adapter = readPeftAdapter(
      {
        config: fixture('from-torch/adapter_config.golden.json').toString('utf8'),
        weights: new Uint8Array(fixture('from-torch/adapter_model.safetensors')),
      },
      { onWarning: (warning) => warnings.push(warning) },
    );
    expect(adapter.warnings.map((warning) => warning.key)).toEqual(['x_future_option']);
    expect(warnings).toEqual(adapter.warnings);
    expect(
      adapter.tensors.get('base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight')!.dtype,
    ).toBe('F16');
    const options = loraOptionsFromPeft(adapter, Object.keys(linears), { moduleNames: 'llama' });
    expect(options).toMatchObject({
      rank: 2,
      alpha: 4,
      rsLora: true,
      dropout: 0.05,
      targets: torchCase.adapted,
    });
    const lora = createLoraAdapters(linears, options);
    expect(lora.options.scaling).toBeCloseTo(torchCase.scaling, 12);
    loadPeftAdapter(lora, adapter, { moduleNames: 'llama' });
    for (const [name, values] of Object.entries(torchCase.outputs)) {
      const [inputs] = linears[name]!.kernel.shape;
      const output = tf.tidy(() =>
        valuesOf(lora.linear(name, tf.tensor2d(torchCase.inputs[name]!, [3, inputs!]))),
      );
      expectRelativelyClose(output, values, 1e-5, name);
    }
    lora.dispose();
    freeLinears(linears);
  });
});
