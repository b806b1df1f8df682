import { InvalidArgumentError } from '@lm-objectives/core';
import type { HuggingFaceArchitecture } from './architecture-layout';
import { ARCHITECTURE_LAYOUTS } from './architecture-layouts';
import { ConfigReader } from './config-reader';

/** The smallest configuration of each architecture; only the tensor names of its layout are read. */
const MINIMAL_CONFIGS: Readonly<Record<HuggingFaceArchitecture, Record<string, unknown>>> = {
  BertForPreTraining: {
    vocab_size: 2,
    hidden_size: 2,
    num_attention_heads: 1,
    intermediate_size: 2,
    max_position_embeddings: 1,
  },
  GPT2LMHeadModel: { vocab_size: 2, n_embd: 2, n_head: 1, n_positions: 1 },
  LlamaForCausalLM: {
    vocab_size: 2,
    hidden_size: 2,
    num_attention_heads: 1,
    intermediate_size: 2,
    max_position_embeddings: 1,
  },
};

const FUNCTION_NAME = 'huggingFaceModuleNames';

/**
 * The Hugging Face module path of each of our named linears, read from the import's own tensor
 * layout: `layers.3.attention.value` → `model.layers.3.self_attn.v_proj` (Llama),
 * `layers.0.feedForward.gate` → `model.layers.0.mlp.gate_proj`, `layers.1.attention.query` →
 * `bert.encoder.layer.1.attention.self.query`. Pass it as LoRA's `moduleNames` when exporting a
 * PEFT adapter of an imported model (with `fanInFanOut: true` for GPT-2, whose `Conv1D` stores
 * `[in, out]`). GPT-2's query, key and value share one fused `c_attn` module, which separate
 * adapters cannot become: those names are refused.
 *
 * @example
 * exportPeftAdapter(lora, { moduleNames: huggingFaceModuleNames('LlamaForCausalLM'), taskType: 'CAUSAL_LM' });
 */
export function huggingFaceModuleNames(
  architecture: HuggingFaceArchitecture,
): (linearName: string) => string {
  const layout = ARCHITECTURE_LAYOUTS[architecture];
  if (layout === undefined) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'architecture',
      expected: `one of ${Object.keys(ARCHITECTURE_LAYOUTS).join(', ')}`,
      received: architecture,
      fix: 'pass the architecture importHuggingFaceModel returned.',
    });
  }
  return (linearName) => {
    const layer = /^layers\.(\d+)\./.exec(linearName);
    const numLayers = layer ? Number(layer[1]) + 1 : 1;
    const config = {
      ...MINIMAL_CONFIGS[architecture],
      architectures: [architecture],
      num_hidden_layers: numLayers,
      n_layer: numLayers,
    };
    const spec = layout.spec(
      layout.readConfig(new ConfigReader(FUNCTION_NAME, config, architecture)),
    );
    const mapping = layout
      .tensors(spec.config)
      .find((tensor) => tensor.parts.some((part) => part.weight === `${linearName}.kernel`));
    if (mapping === undefined || mapping.parts.length > 1) {
      throw new InvalidArgumentError({
        functionName: FUNCTION_NAME,
        argumentName: 'linearName',
        expected: mapping
          ? `a linear with a module of its own (${mapping.name} fuses ${mapping.parts.length} of them)`
          : `the name of a linear of ${architecture}`,
        received: linearName,
        fix: mapping
          ? 'adapt only the linears with their own module (for GPT-2: attention.output, feedForward.intermediate and feedForward.output).'
          : "names look like 'layers.0.attention.query'.",
      });
    }
    return mapping.name.replace(/\.weight$/, '');
  };
}
