import { ShapeMismatchError } from '@lm-objectives/core';
import { readSafetensors, writeSafetensors } from '@lm-objectives/safetensors';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { readFixture } from '../../test/hugging-face-fixtures';
import { importHuggingFaceModel } from './import-hugging-face-model';

/** The fixture's tensors, renamed or changed by `edit`, written back as a safetensors file. */
function edited(
  name: string,
  edit: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void,
) {
  const { config, weights } = readFixture(name);
  const tensors = new Map(
    [...readSafetensors(weights).tensors].map(([key, tensor]) => [
      key,
      { shape: [...tensor.shape], data: tensor.data as Float32Array },
    ]),
  );
  edit(tensors);
  return { config, weights: writeSafetensors(tensors) };
}

const rename = (
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  from: string,
  to: string,
) => {
  if (from === to) return;
  tensors.set(to, tensors.get(from)!);
  tensors.delete(from);
};

describeEachBackend(
  'importHuggingFaceModel accepts the layout variants of real files and refuses the rest',
  () => {
    it("reads GPT-2's hub layout: no 'transformer.' prefix, attn.bias buffers and a tied lm_head copy", async () => {
      const checkpoint = edited('gpt2', (tensors) => {
        for (const key of [...tensors.keys()])
          rename(tensors, key, key.replace(/^transformer\./, ''));
        tensors.set('h.0.attn.bias', { shape: [1, 1, 20, 20], data: new Float32Array(400) });
        tensors.set('lm_head.weight', tensors.get('wte.weight')!);
      });
      const imported = await importHuggingFaceModel({
        ...checkpoint,
        weights: new Blob([checkpoint.weights as Uint8Array<ArrayBuffer>]),
      });
      expect(imported.skippedTensors).toEqual(['h.0.attn.bias', 'lm_head.weight']);
      expect(imported.ignoredKeys).toEqual([]);
      imported.model.dispose();
    });

    it("reads BERT's older names (LayerNorm.gamma/beta) and the config name BertForMaskedLM", async () => {
      const checkpoint = edited('bert', (tensors) => {
        for (const key of [...tensors.keys()]) {
          rename(
            tensors,
            key,
            key
              .replace(/LayerNorm\.weight$/, 'LayerNorm.gamma')
              .replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
          );
        }
      });
      const config = {
        ...JSON.parse(checkpoint.config),
        architectures: ['BertForMaskedLM'],
        summary_note: 'x',
      };
      const imported = await importHuggingFaceModel({ config, weights: checkpoint.weights });
      expect(imported.architecture).toBe('BertForPreTraining');
      expect(imported.ignoredKeys).toEqual(['summary_note']);
      imported.model.dispose();
    });

    it('refuses a missing tensor, an unexpected tensor, a wrong shape and an untied head, before building anything', async () => {
      const before = tf.memory().numTensors;
      const missing = edited('llama', (tensors) => tensors.delete('model.norm.weight'));
      await expect(importHuggingFaceModel(missing)).rejects.toThrow(
        /'model\.safetensors 'model\.norm\.weight'' is invalid\. Expected every tensor of LlamaForCausalLM \(1 missing/,
      );
      const extra = edited('llama', (tensors) =>
        tensors.set('model.layers.0.self_attn.q_proj.bias', {
          shape: [16],
          data: new Float32Array(16),
        }),
      );
      await expect(importHuggingFaceModel(extra)).rejects.toThrow(
        /q_proj\.bias.*Expected only tensors of LlamaForCausalLM/,
      );
      const wide = edited('llama', (tensors) =>
        tensors.set('model.norm.weight', { shape: [17], data: new Float32Array(17) }),
      );
      await expect(importHuggingFaceModel(wide)).rejects.toThrow(ShapeMismatchError);
      expect(tf.memory().numTensors).toBe(before);
      const untied = edited('gpt2', (tensors) => {
        const table = tensors.get('transformer.wte.weight')!;
        tensors.set('lm_head.weight', {
          shape: table.shape,
          data: table.data.map((value) => value + 1),
        });
      });
      await expect(importHuggingFaceModel(untied)).rejects.toThrow(
        /Expected a copy of 'transformer\.wte\.weight'/,
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses config options it cannot represent, naming the key', async () => {
      const { config, weights } = readFixture('gpt2');
      const crossAttention = { ...JSON.parse(config), add_cross_attention: true };
      await expect(importHuggingFaceModel({ config: crossAttention, weights })).rejects.toThrow(
        /config\.json 'add_cross_attention' \(GPT2LMHeadModel\)' is invalid\. Expected false or null \(there is no encoder to attend to\)/,
      );
      const relu = { ...JSON.parse(config), activation_function: 'relu' };
      await expect(importHuggingFaceModel({ config: relu, weights })).rejects.toThrow(
        /'activation_function'.*received "relu"/,
      );
      await expect(importHuggingFaceModel({ config: 'not json', weights })).rejects.toThrow(
        /checkpoint\.config/,
      );
    });
  },
);
