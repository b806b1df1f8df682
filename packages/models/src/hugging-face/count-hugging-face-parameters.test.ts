import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countHuggingFaceParameters } from './count-hugging-face-parameters';

const config = (name: string) =>
  readFileSync(new URL(`./__fixtures__/published-configs/${name}.json`, import.meta.url), 'utf8');

// The published figures, and where each comes from:
// - GPT-2 small: 124,439,808 (the issue; wte 50257·768 + wpe 1024·768 + 12 blocks of 7,087,872 + ln_f).
// - bert-base-uncased as BertForPreTraining: BertModel's widely quoted 109,482,240 plus the heads
//   (transform 768·768 + 768, its LayerNorm 2·768, decoder bias 30,522, NSP 768·2 + 2) = 110,106,428.
// - SmolLM-135M: 134,515,008 (tied embeddings: 49152·576 + 30 blocks of 3,540,096 + the final norm).
// - TinyLlama-1.1B: 1,100,048,384 (untied head: 2·32000·2048 + 22 blocks of 44,044,288 + the final norm).
describe('countHuggingFaceParameters counts standard configurations through the import path', () => {
  it.each([
    ['gpt2', 'GPT2LMHeadModel', 124_439_808, 148],
    ['bert-base-uncased', 'BertForPreTraining', 110_106_428, 206],
    ['smollm-135m', 'LlamaForCausalLM', 134_515_008, 272],
    ['tinyllama-1.1b', 'LlamaForCausalLM', 1_100_048_384, 201],
  ])('%s: %s with %i parameters', (name, architecture, total, tensorCount) => {
    const count = countHuggingFaceParameters(config(name));
    expect(count.architecture).toBe(architecture);
    expect(count.total).toBe(total);
    expect(count.float32Bytes).toBe(4 * total);
    expect(count.tensorCount).toBe(tensorCount);
  });

  it('refuses an option the models cannot represent, naming the key and the reason', () => {
    const scaled = {
      ...JSON.parse(config('tinyllama-1.1b')),
      rope_scaling: { type: 'linear', factor: 2 },
    };
    expect(() => countHuggingFaceParameters(scaled)).toThrow(
      /countHuggingFaceParameters: argument 'config\.json 'rope_scaling' \(LlamaForCausalLM\)' is invalid\. Expected null \(rotary positions are unscaled here/,
    );
    const relative = {
      ...JSON.parse(config('bert-base-uncased')),
      position_embedding_type: 'relative_key',
    };
    expect(() => countHuggingFaceParameters(relative)).toThrow(
      /'position_embedding_type'.*relative_key scores are not implemented/,
    );
    expect(() =>
      countHuggingFaceParameters({
        architectures: ['T5ForConditionalGeneration'],
        model_type: 't5',
      }),
    ).toThrow(/Expected one of BertForPreTraining, GPT2LMHeadModel, LlamaForCausalLM/);
  });
});
