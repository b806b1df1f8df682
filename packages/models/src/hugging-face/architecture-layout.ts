import type { ResolvedTransformerConfig } from '../models/transformer-config';
import type { ModelKind } from '../models/transformer-model';
import type { TransformerSpec } from '../models/transformer-spec';
import type { ConfigReader } from './config-reader';
import type { TensorMapping } from './tensor-mapping';

/** The Hugging Face architectures this package imports and exports. */
export type HuggingFaceArchitecture = 'BertForPreTraining' | 'GPT2LMHeadModel' | 'LlamaForCausalLM';

/**
 * Everything that ties one Hugging Face architecture to one of our model kinds: how its
 * `config.json` becomes our configuration and back, and which tensor holds which weight.
 *
 * @internal
 */
export interface ArchitectureLayout<
  Config extends ResolvedTransformerConfig = ResolvedTransformerConfig,
> {
  readonly architecture: HuggingFaceArchitecture;
  /** `config.json`'s `model_type`. */
  readonly modelType: string;
  readonly modelKind: ModelKind;
  /** Our model's configuration from a `config.json`, refusing what we cannot represent. */
  readConfig(reader: ConfigReader): object;
  /** The model spec of a configuration read by `readConfig`. */
  spec(config: object): TransformerSpec<Config>;
  /** Every tensor of the checkpoint with the weights it holds. */
  tensors(config: Config): TensorMapping[];
  /**
   * The canonical name of a tensor found in a file (older files say `LayerNorm.gamma` for
   * `LayerNorm.weight`; GPT-2's hub file has no `transformer.` prefix), or `null` for buffers
   * that are no weights (GPT-2's `attn.bias` causal masks, BERT's `position_ids`).
   */
  canonicalName(name: string): string | null;
  /** Tensors a file may also hold as copies of a tied tensor: copy → original. */
  tiedCopies(config: Config): Readonly<Record<string, string>>;
  /** `config.json` of a model of ours (HF's key names). */
  writeConfig(config: Config): Record<string, unknown>;
}

/** Keys that never change the weights or the forward pass, accepted whatever their values. @internal */
export const NEUTRAL_KEYS = [
  '_name_or_path',
  'architectures',
  'model_type',
  'torch_dtype',
  'transformers_version',
  'use_cache',
  'bos_token_id',
  'eos_token_id',
  'pad_token_id',
  'initializer_range',
  'gradient_checkpointing',
  'output_past',
  'id2label',
  'label2id',
  'task_specific_params',
] as const;
