import { describe, expect, it } from 'vitest';
import { huggingFaceModuleNames } from './hugging-face-module-names';

describe('huggingFaceModuleNames', () => {
  it("maps our linear names to each architecture's module paths", () => {
    const llama = huggingFaceModuleNames('LlamaForCausalLM');
    expect(llama('layers.3.attention.value')).toBe('model.layers.3.self_attn.v_proj');
    expect(llama('layers.0.feedForward.gate')).toBe('model.layers.0.mlp.gate_proj');
    expect(llama('layers.0.feedForward.intermediate')).toBe('model.layers.0.mlp.up_proj');
    expect(llama('layers.11.feedForward.output')).toBe('model.layers.11.mlp.down_proj');
    const bert = huggingFaceModuleNames('BertForPreTraining');
    expect(bert('layers.1.attention.query')).toBe('bert.encoder.layer.1.attention.self.query');
    expect(bert('pooler.dense')).toBe('bert.pooler.dense');
    expect(bert('heads.maskedLm.transform')).toBe('cls.predictions.transform.dense');
    expect(huggingFaceModuleNames('GPT2LMHeadModel')('layers.2.feedForward.intermediate')).toBe(
      'transformer.h.2.mlp.c_fc',
    );
  });

  it("refuses GPT-2's fused query, key and value, and unknown names", () => {
    const gpt2 = huggingFaceModuleNames('GPT2LMHeadModel');
    expect(() => gpt2('layers.0.attention.query')).toThrow(
      /transformer\.h\.0\.attn\.c_attn\.weight fuses 3 of them/,
    );
    expect(() => gpt2('layers.0.attention.gate')).toThrow(
      /Expected the name of a linear of GPT2LMHeadModel/,
    );
    expect(() => huggingFaceModuleNames('T5' as never)).toThrow(
      /argument 'architecture' is invalid/,
    );
  });
});
