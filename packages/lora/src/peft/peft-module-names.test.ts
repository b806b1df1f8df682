import { describe, expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/helpers';
import { peftModulePath } from './peft-module-names';
import { normalizePeftWeightKey, peftWeightKeys } from './peft-weight-keys';

describe('peftModulePath', () => {
  it.each([
    ['bert', 'layers.0.attention.query', 'bert.encoder.layer.0.attention.self.query'],
    ['bert', 'layers.11.attention.value', 'bert.encoder.layer.11.attention.self.value'],
    ['bert', 'layers.2.attention.output', 'bert.encoder.layer.2.attention.output.dense'],
    ['bert', 'layers.2.feedForward.intermediate', 'bert.encoder.layer.2.intermediate.dense'],
    ['bert', 'layers.2.feedForward.output', 'bert.encoder.layer.2.output.dense'],
    ['bert', 'pooler.dense', 'bert.pooler.dense'],
    ['llama', 'layers.3.attention.query', 'model.layers.3.self_attn.q_proj'],
    ['llama', 'layers.3.attention.key', 'model.layers.3.self_attn.k_proj'],
    ['llama', 'layers.3.attention.value', 'model.layers.3.self_attn.v_proj'],
    ['llama', 'layers.3.attention.output', 'model.layers.3.self_attn.o_proj'],
    ['llama', 'layers.3.feedForward.intermediate', 'model.layers.3.mlp.up_proj'],
    ['llama', 'layers.3.feedForward.output', 'model.layers.3.mlp.down_proj'],
    ['gpt2', 'layers.1.attention.output', 'transformer.h.1.attn.c_proj'],
    ['gpt2', 'layers.1.feedForward.intermediate', 'transformer.h.1.mlp.c_fc'],
    ['gpt2', 'layers.1.feedForward.output', 'transformer.h.1.mlp.c_proj'],
  ] as const)('maps %s %s to %s', (preset, name, path) => {
    expect(peftModulePath(name, preset)).toBe(path);
  });

  it('keeps names by default (with / as .), and takes a map or a function', () => {
    expect(peftModulePath('dense_1', undefined)).toBe('dense_1');
    expect(peftModulePath('block0/attention/query', undefined)).toBe('block0.attention.query');
    expect(peftModulePath('dense_1', { dense_1: 'classifier.dense' })).toBe('classifier.dense');
    expect(peftModulePath('dense_1', (name) => `model.${name}`)).toBe('model.dense_1');
  });

  it('refuses names a mapping cannot place, saying why', () => {
    expectInvalidArgument(
      () => peftModulePath('layers.0.attention.query', 'gpt2'),
      'peftModulePath',
      'options.moduleNames',
      ['fuses query, key and value'],
    );
    expectInvalidArgument(
      () => peftModulePath('dense_2', { dense_1: 'a.b' }),
      'peftModulePath',
      'options.moduleNames',
      ["add 'dense_2'"],
    );
    expectInvalidArgument(
      () => peftModulePath('dense_1', () => 'a..b'),
      'peftModulePath',
      'options.moduleNames',
      ['dotted Python module path'],
    );
  });

  it('builds and normalises PEFT weight keys', () => {
    expect(peftWeightKeys('model.layers.0.self_attn.q_proj')).toEqual({
      a: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
      b: 'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
    });
    expect(normalizePeftWeightKey('base_model.model.x.lora_B.default.weight')).toBe(
      'base_model.model.x.lora_B.weight',
    );
    expect(normalizePeftWeightKey('base_model.model.x.lora_A.weight')).toBe(
      'base_model.model.x.lora_A.weight',
    );
  });
});
