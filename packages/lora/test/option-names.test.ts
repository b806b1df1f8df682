// Unknown option names at every level of the public API: each is an error that names the option
// and suggests the closest valid name (core's checkOptionKeys), instead of being ignored.
import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import {
  createConditionalLmBatch,
  createConditionalLmObjective,
  createLoraAdapter,
  createLoraAdapters,
  createNamedLoraAdapters,
  exportPeftAdapter,
  loraOptionsFromPeft,
  planLoraTargets,
  readPeftAdapter,
} from '../src/index';
import { injectLoraAdapters, planLayersLoraTargets } from '../src/layers/index';

interface OptionCase {
  call: () => unknown;
  functionName: string;
  misspelt: string;
  suggested: string;
}

describeEachBackend('misspelt option names', () => {
  it('are refused with the closest valid name suggested, at every level', () => {
    const kernel = tf.tidy(() => tf.variable(tf.ones([4, 4])));
    const linears = { 'block/query': { kernel } };
    const lora = createLoraAdapters(linears, { rank: 2 });
    const named = createNamedLoraAdapters(linears);
    // Options are checked first, so no tf.layers model needs building for the layers entry point.
    const model = {} as tfl.LayersModel;
    const peft = exportPeftAdapter(lora);
    const adapter = readPeftAdapter({ config: peft.configJson, weights: peft.weights });
    const x = tf.ones([1, 4]);
    const example = [{ prompt: [3], completion: [4] }];
    const cases: OptionCase[] = [
      {
        call: () => createLoraAdapter({ kernel, ranks: 2 } as never),
        functionName: 'createLoraAdapter',
        misspelt: 'ranks',
        suggested: 'rank',
      },
      {
        call: () => createLoraAdapters(linears, { target: /query/ } as never),
        functionName: 'createLoraAdapters',
        misspelt: 'target',
        suggested: 'targets',
      },
      {
        call: () => createNamedLoraAdapters(linears, { model_variables: [] } as never),
        functionName: 'createNamedLoraAdapters',
        misspelt: 'model_variables',
        suggested: 'modelVariables',
      },
      {
        call: () => named.add('sql', { rslora: true } as never),
        functionName: 'NamedLoraAdapters.add',
        misspelt: 'rslora',
        suggested: 'rsLora',
      },
      {
        call: () => lora.linear('block/query', x, { trainig: true } as never),
        functionName: 'LoraAdapter.apply',
        misspelt: 'trainig',
        suggested: 'training',
      },
      {
        call: () => planLoraTargets({ q: [4, 4] }, { output_heads: [] } as never),
        functionName: 'planLoraTargets',
        misspelt: 'output_heads',
        suggested: 'outputHeads',
      },
      {
        call: () => injectLoraAdapters(model, { freezeOther: false } as never),
        functionName: 'injectLoraAdapters',
        misspelt: 'freezeOther',
        suggested: 'freezeOthers',
      },
      {
        call: () => planLayersLoraTargets(model, { initialisation: 'uniform' } as never),
        functionName: 'planLayersLoraTargets',
        misspelt: 'initialisation',
        suggested: 'initialization',
      },
      {
        call: () => exportPeftAdapter(lora, { module_names: 'bert' } as never),
        functionName: 'exportPeftAdapter',
        misspelt: 'module_names',
        suggested: 'moduleNames',
      },
      {
        call: () => loraOptionsFromPeft(adapter, ['block/query'], { modulenames: 'bert' } as never),
        functionName: 'loraOptionsFromPeft',
        misspelt: 'modulenames',
        suggested: 'moduleNames',
      },
      {
        call: () => createConditionalLmObjective({ eosTokenId: 2, max_length: 8 } as never),
        functionName: 'createConditionalLmObjective',
        misspelt: 'max_length',
        suggested: 'maxLength',
      },
      {
        call: () => createConditionalLmBatch(example, { eosTokenId: 2, padTokenID: 0 } as never),
        functionName: 'createConditionalLmBatch',
        misspelt: 'padTokenID',
        suggested: 'padTokenId',
      },
      {
        call: () => createConditionalLmObjective({ eosTokenId: 2, label_smoothing: 0.1 } as never),
        functionName: 'createConditionalLmObjective',
        misspelt: 'label_smoothing',
        suggested: 'labelSmoothing',
      },
    ];
    for (const { call, functionName, misspelt, suggested } of cases) {
      const error = expectInvalidArgument(call, functionName, `options.${misspelt}`, [
        `did you mean '${suggested}'?`,
      ]);
      expect(error.message, misspelt).toContain(`unknown option '${misspelt}'`);
    }
    tf.dispose(x);
    named.dispose();
    lora.dispose();
    kernel.dispose();
  });
});
