import { InvalidArgumentError } from '@lm-objectives/core';
import type { ArchitectureLayout, HuggingFaceArchitecture } from './architecture-layout';
import { BERT_LAYOUT } from './bert-layout';
import { GPT2_LAYOUT } from './gpt2-layout';
import { LLAMA_LAYOUT } from './llama-layout';

/** Every supported architecture's layout. @internal */
export const ARCHITECTURE_LAYOUTS: Readonly<Record<HuggingFaceArchitecture, ArchitectureLayout>> = {
  BertForPreTraining: BERT_LAYOUT,
  GPT2LMHeadModel: GPT2_LAYOUT,
  LlamaForCausalLM: LLAMA_LAYOUT,
};

/**
 * Architecture names whose checkpoints hold the same tensors: bert-base-uncased's `config.json`
 * says `BertForMaskedLM` although its file keeps the pooler and the next-sentence head.
 */
const ALIASES: Readonly<Record<string, HuggingFaceArchitecture>> = {
  BertForMaskedLM: 'BertForPreTraining',
};

/**
 * The layout a `config.json` names: its `architectures[0]`, or when absent the default
 * architecture of its `model_type` (`bert`, `gpt2`, `llama`). Anything else is refused, with the
 * supported list.
 *
 * @internal
 */
export function layoutOfConfig(
  functionName: string,
  config: Readonly<Record<string, unknown>>,
): ArchitectureLayout {
  const architectures = config['architectures'];
  const named = Array.isArray(architectures) ? architectures[0] : undefined;
  const layout =
    typeof named === 'string'
      ? ARCHITECTURE_LAYOUTS[(ALIASES[named] ?? named) as HuggingFaceArchitecture]
      : Object.values(ARCHITECTURE_LAYOUTS).find(
          (entry) => entry.modelType === config['model_type'],
        );
  if (
    layout === undefined ||
    (config['model_type'] !== undefined && config['model_type'] !== layout.modelType)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName:
        typeof named === 'string' ? "config.json 'architectures'" : "config.json 'model_type'",
      expected: `one of ${Object.keys(ARCHITECTURE_LAYOUTS).join(', ')} (model_type ${Object.values(
        ARCHITECTURE_LAYOUTS,
      )
        .map((entry) => `'${entry.modelType}'`)
        .join(', ')})`,
      received: named ?? config['model_type'],
      receivedDescription: JSON.stringify({ architectures, model_type: config['model_type'] }),
      fix: 'import a checkpoint of a supported architecture; other architectures need their own layout.',
    });
  }
  return layout;
}
