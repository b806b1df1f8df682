import { describeEachBackend, maxAbs, maxAbsDifference } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  fixtureOutputs,
  maxError,
  readFixture,
  runOnFixture,
} from '../../test/hugging-face-fixtures';
import { createBertEncoder } from '../models/create-bert-encoder';
import { ARCHITECTURE_LAYOUTS } from './architecture-layouts';
import { importHuggingFaceModel } from './import-hugging-face-model';
import { toOurLayout } from './tensor-mapping';

const CASES = [
  ['bert', 'BertForPreTraining', 'bert-encoder'],
  ['gpt2', 'GPT2LMHeadModel', 'causal-decoder'],
  ['llama', 'LlamaForCausalLM', 'llama-decoder'],
  ['gpt2-float16', 'GPT2LMHeadModel', 'causal-decoder'],
  ['llama-bfloat16', 'LlamaForCausalLM', 'llama-decoder'],
] as const;

describeEachBackend('importHuggingFaceModel reproduces PyTorch float64 references', () => {
  for (const [name, architecture, kind] of CASES) {
    it(`loads the ${name} checkpoint and matches its logits and loss within 1e-4`, async () => {
      const { config, weights, expected } = readFixture(name);
      const imported = await importHuggingFaceModel({ config, weights });
      expect(imported.architecture).toBe(architecture);
      expect(imported.model.kind).toBe(kind);
      const actual = runOnFixture(imported.model, expected.inputs);
      const logitsError = maxError(actual.logits, expected.logits.flat(2));
      expect(logitsError, 'logits').toBeLessThan(1e-4);
      if (expected.nextSentenceLogits) {
        expect(
          maxError(actual.nextSentenceLogits!, expected.nextSentenceLogits.flat()),
          'NSP logits',
        ).toBeLessThan(1e-4);
      }
      expect(Math.abs(actual.loss - expected.loss), 'loss').toBeLessThan(1e-4);
      imported.model.dispose();
    });

    it(`the ${name} checkpoint's gradient of the loss matches PyTorch's for every weight`, async () => {
      const { config, weights, expected } = readFixture(name);
      const { model } = await importHuggingFaceModel({ config, weights });
      const { value, grads } = tf.variableGrads(
        () => fixtureOutputs(model, expected.inputs).loss,
        model.variables as tf.Variable[],
      );
      try {
        // Some gradients vanish in exact arithmetic (a key bias shifts a query's scores equally):
        // measure each against the largest gradient of the model as well as its own.
        const largest = Math.max(
          ...Object.values(expected.gradients).map((gradient) => maxAbs(gradient)),
        );
        for (const mapping of ARCHITECTURE_LAYOUTS[architecture].tensors(model.config)) {
          for (const { weight, conversion } of mapping.parts) {
            const reference = toOurLayout(
              Float32Array.from(expected.gradients[mapping.name]!),
              mapping.shape,
              conversion,
            );
            const scale = Math.max(maxAbs(reference), 1e-3 * largest);
            const ours = grads[model.weights[weight]!.name]!.dataSync();
            expect(maxAbsDifference(ours, reference) / scale, `gradient of ${weight}`).toBeLessThan(
              1e-4,
            );
          }
        }
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
        model.dispose();
      }
    });
  }
});

describeEachBackend('the exact GELU matters at this tolerance', () => {
  it('the BERT fixture computed with the tanh GELU misses the reference by more than 1e-4', async () => {
    const { config, weights, expected } = readFixture('bert');
    const { model } = await importHuggingFaceModel({ config, weights });
    const { headSize: _derived, ...sizes } = model.config;
    const approximate = createBertEncoder({ ...sizes, activation: 'gelu-tanh' });
    approximate.setWeights(model.getWeights());
    const actual = runOnFixture(approximate, expected.inputs);
    expect(maxError(actual.logits, expected.logits.flat(2))).toBeGreaterThan(1e-4);
    model.dispose();
    approximate.dispose();
  });
});
