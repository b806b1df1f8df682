import { type CausalDecoderConfig, causalDecoderSpec } from '../models/create-causal-decoder';
import type { ResolvedTransformerConfig } from '../models/transformer-config';
import { type ArchitectureLayout, NEUTRAL_KEYS } from './architecture-layout';
import { direct, type TensorMapping } from './tensor-mapping';

const GELU_NAMES: Readonly<Record<string, 'gelu-tanh' | 'gelu-exact'>> = {
  gelu_new: 'gelu-tanh',
  gelu_pytorch_tanh: 'gelu-tanh',
  gelu: 'gelu-exact',
};

/** The tensors of one GPT-2 block `transformer.h.<layer>` (Conv1D weights are `[in, out]`, as ours). */
function blockTensors(layer: number, hiddenSize: number, innerSize: number): TensorMapping[] {
  const from = `transformer.h.${layer}.`;
  const to = `layers.${layer}.`;
  const fused = (suffix: 'kernel' | 'bias', shape: number[]): TensorMapping => ({
    name: `${from}attn.c_attn.${suffix === 'kernel' ? 'weight' : 'bias'}`,
    shape,
    parts: (['query', 'key', 'value'] as const).map((part, index) => ({
      weight: `${to}attention.${part}.${suffix}`,
      conversion: { kind: 'columns', begin: index * hiddenSize, size: hiddenSize },
    })),
  });
  const pair = (name: string, ours: string, inputSize: number, outputSize: number) => [
    direct(`${from}${name}.weight`, [inputSize, outputSize], `${to}${ours}.kernel`),
    direct(`${from}${name}.bias`, [outputSize], `${to}${ours}.bias`),
  ];
  const norm = (name: string, ours: string) => [
    direct(`${from}${name}.weight`, [hiddenSize], `${to}${ours}.gamma`),
    direct(`${from}${name}.bias`, [hiddenSize], `${to}${ours}.beta`),
  ];
  return [
    ...norm('ln_1', 'attention.layerNorm'),
    fused('kernel', [hiddenSize, 3 * hiddenSize]),
    fused('bias', [3 * hiddenSize]),
    ...pair('attn.c_proj', 'attention.output', hiddenSize, hiddenSize),
    ...norm('ln_2', 'feedForward.layerNorm'),
    ...pair('mlp.c_fc', 'feedForward.intermediate', hiddenSize, innerSize),
    ...pair('mlp.c_proj', 'feedForward.output', innerSize, hiddenSize),
  ];
}

/**
 * `GPT2LMHeadModel` ↔ our causal decoder: pre-LN blocks, learned positions, `gelu_new`, the head
 * tied to `wte`; the fused `c_attn` `[H, 3H]` splits into our query, key and value.
 *
 * @internal
 */
export const GPT2_LAYOUT: ArchitectureLayout = {
  architecture: 'GPT2LMHeadModel',
  modelType: 'gpt2',
  modelKind: 'causal-decoder',
  readConfig(reader) {
    reader.allow(...NEUTRAL_KEYS, 'n_ctx', 'reorder_and_upcast_attn');
    reader.allow('summary_activation', 'summary_first_dropout', 'summary_proj_to_labels');
    reader.allow('summary_type', 'summary_use_proj');
    const hiddenSize = reader.integer('n_embd');
    const activation = reader.value('activation_function') ?? 'gelu_new';
    if (typeof activation !== 'string' || !(activation in GELU_NAMES)) {
      reader.refuse(
        'activation_function',
        "'gelu_new', 'gelu_pytorch_tanh' or 'gelu' (our feed-forward layers use GELU)",
        activation,
        'only GELU checkpoints can be imported.',
      );
    }
    reader.expect('scale_attn_weights', [true, null], 'scores are always scaled by 1/√d here');
    reader.expect(
      'scale_attn_by_inverse_layer_idx',
      [false, null],
      'no per-layer score scaling here',
    );
    reader.expect('add_cross_attention', [false, null], 'there is no encoder to attend to');
    reader.expect('tie_word_embeddings', [true, null], 'the causal decoder ties its head to wte');
    const config: CausalDecoderConfig = {
      vocabularySize: reader.integer('vocab_size'),
      hiddenSize,
      numLayers: reader.integer('n_layer'),
      numHeads: reader.integer('n_head'),
      intermediateSize: reader.integer('n_inner', 4 * hiddenSize),
      maxPositions: reader.integer('n_positions'),
      normalization: 'pre',
      layerNormEpsilon: reader.number('layer_norm_epsilon', 1e-5),
      activation: GELU_NAMES[activation as string]!,
      hiddenDropout: reader.number('resid_pdrop', 0.1),
      attentionDropout: reader.number('attn_pdrop', 0.1),
    };
    const embeddingDropout = reader.number('embd_pdrop', 0.1);
    if (embeddingDropout !== config.hiddenDropout) {
      reader.refuse(
        'embd_pdrop',
        `the value of resid_pdrop (${config.hiddenDropout}): one hidden dropout rate covers embeddings and sub-layers here`,
        embeddingDropout,
        'set embd_pdrop equal to resid_pdrop in config.json (dropout does not change the weights).',
      );
    }
    return config;
  },
  spec: (config) => causalDecoderSpec(config as CausalDecoderConfig),
  tensors(config: ResolvedTransformerConfig) {
    const { hiddenSize, intermediateSize, numLayers } = config;
    const tensors: TensorMapping[] = [
      direct('transformer.wte.weight', [config.vocabularySize, hiddenSize], 'embeddings.token'),
      direct('transformer.wpe.weight', [config.maxPositions, hiddenSize], 'embeddings.position'),
    ];
    for (let layer = 0; layer < numLayers; layer++) {
      tensors.push(...blockTensors(layer, hiddenSize, intermediateSize));
    }
    tensors.push(
      direct('transformer.ln_f.weight', [hiddenSize], 'finalLayerNorm.gamma'),
      direct('transformer.ln_f.bias', [hiddenSize], 'finalLayerNorm.beta'),
    );
    return tensors;
  },
  canonicalName(name) {
    if (/(^|\.)h\.\d+\.attn\.(masked_)?bias$/.test(name)) return null;
    if (name === 'lm_head.weight' || name.startsWith('transformer.')) return name;
    return `transformer.${name}`;
  },
  tiedCopies: () => ({ 'lm_head.weight': 'transformer.wte.weight' }),
  writeConfig(config) {
    return {
      activation_function: config.activation === 'gelu-exact' ? 'gelu' : 'gelu_new',
      architectures: ['GPT2LMHeadModel'],
      attn_pdrop: config.attentionDropout,
      embd_pdrop: config.hiddenDropout,
      initializer_range: config.initializerRange,
      layer_norm_epsilon: config.layerNormEpsilon,
      model_type: 'gpt2',
      n_embd: config.hiddenSize,
      n_head: config.numHeads,
      n_inner: config.intermediateSize,
      n_layer: config.numLayers,
      n_positions: config.maxPositions,
      resid_pdrop: config.hiddenDropout,
      scale_attn_by_inverse_layer_idx: false,
      scale_attn_weights: true,
      tie_word_embeddings: true,
      torch_dtype: 'float32',
      vocab_size: config.vocabularySize,
    };
  },
};
