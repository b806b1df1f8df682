import {
  type LlamaDecoderConfig,
  llamaDecoderSpec,
  type ResolvedLlamaDecoderConfig,
} from '../models/create-llama-decoder';
import type { ResolvedTransformerConfig } from '../models/transformer-config';
import { type ArchitectureLayout, NEUTRAL_KEYS } from './architecture-layout';
import { direct, type TensorMapping } from './tensor-mapping';

/** The tensors of one block `model.layers.<layer>` (every `nn.Linear` transposed, no biases). */
function blockTensors(layer: number, config: ResolvedLlamaDecoderConfig): TensorMapping[] {
  const { hiddenSize, intermediateSize, numHeads, numKeyValueHeads, headSize } = config;
  const from = `model.layers.${layer}.`;
  const to = `layers.${layer}.`;
  const project = (name: string, ours: string, inputSize: number, outputSize: number) =>
    direct(`${from}${name}.weight`, [outputSize, inputSize], `${to}${ours}.kernel`, 'transpose');
  return [
    project('self_attn.q_proj', 'attention.query', hiddenSize, numHeads * headSize),
    project('self_attn.k_proj', 'attention.key', hiddenSize, numKeyValueHeads * headSize),
    project('self_attn.v_proj', 'attention.value', hiddenSize, numKeyValueHeads * headSize),
    project('self_attn.o_proj', 'attention.output', numHeads * headSize, hiddenSize),
    direct(`${from}input_layernorm.weight`, [hiddenSize], `${to}attention.rmsNorm.gamma`),
    project('mlp.gate_proj', 'feedForward.gate', hiddenSize, intermediateSize),
    project('mlp.up_proj', 'feedForward.intermediate', hiddenSize, intermediateSize),
    project('mlp.down_proj', 'feedForward.output', intermediateSize, hiddenSize),
    direct(
      `${from}post_attention_layernorm.weight`,
      [hiddenSize],
      `${to}feedForward.rmsNorm.gamma`,
    ),
  ];
}

/**
 * `LlamaForCausalLM` ↔ our Llama decoder: RMSNorm, rotary positions (rotate-half), SwiGLU
 * (`gate_proj`, `up_proj` = our `intermediate`, `down_proj` = our `output`), grouped-query
 * attention, no biases, `lm_head` untied (or tied with `tie_word_embeddings`).
 *
 * @internal
 */
export const LLAMA_LAYOUT: ArchitectureLayout = {
  architecture: 'LlamaForCausalLM',
  modelType: 'llama',
  modelKind: 'llama-decoder',
  readConfig(reader) {
    reader.allow(...NEUTRAL_KEYS, 'pretraining_tp');
    reader.expect('hidden_act', ['silu', null], 'the SwiGLU gate uses SiLU here');
    reader.expect(
      'rope_scaling',
      [null],
      'rotary positions are unscaled here (no linear, dynamic or llama3 scaling)',
    );
    reader.expect('attention_bias', [false, null], 'the attention projections have no biases here');
    reader.expect('mlp_bias', [false, null], 'the feed-forward projections have no biases here');
    const hiddenSize = reader.integer('hidden_size');
    const numHeads = reader.integer('num_attention_heads');
    reader.expect(
      'head_dim',
      [hiddenSize / numHeads, null],
      'the head size is hidden_size / num_attention_heads here',
    );
    const config: LlamaDecoderConfig = {
      vocabularySize: reader.integer('vocab_size'),
      hiddenSize,
      numLayers: reader.integer('num_hidden_layers'),
      numHeads,
      numKeyValueHeads: reader.integer('num_key_value_heads', numHeads),
      intermediateSize: reader.integer('intermediate_size'),
      maxPositions: reader.integer('max_position_embeddings'),
      layerNormEpsilon: reader.number('rms_norm_eps', 1e-6),
      ropeTheta: reader.number('rope_theta', 10_000),
      tieWordEmbeddings: reader.boolean('tie_word_embeddings', false),
      attentionDropout: reader.number('attention_dropout', 0),
      // Not a key of Hugging Face's Llama (which has no hidden dropout): written by our export
      // when the model trains with one, so that the difference is stated and round-trips.
      hiddenDropout: reader.number('hidden_dropout', 0),
    };
    return config;
  },
  spec: (config) =>
    llamaDecoderSpec(config as LlamaDecoderConfig) as unknown as ReturnType<
      ArchitectureLayout['spec']
    >,
  tensors(resolved: ResolvedTransformerConfig) {
    const config = resolved as ResolvedLlamaDecoderConfig;
    const { hiddenSize, vocabularySize } = config;
    const tensors: TensorMapping[] = [
      direct('model.embed_tokens.weight', [vocabularySize, hiddenSize], 'embeddings.token'),
    ];
    for (let layer = 0; layer < config.numLayers; layer++)
      tensors.push(...blockTensors(layer, config));
    tensors.push(direct('model.norm.weight', [hiddenSize], 'finalRmsNorm.gamma'));
    if (!config.tieWordEmbeddings) {
      tensors.push(direct('lm_head.weight', [vocabularySize, hiddenSize], 'outputHead.weight'));
    }
    return tensors;
  },
  canonicalName: (name) => (/\.rotary_emb\.inv_freq$/.test(name) ? null : name),
  tiedCopies: (config): Readonly<Record<string, string>> =>
    (config as ResolvedLlamaDecoderConfig).tieWordEmbeddings
      ? { 'lm_head.weight': 'model.embed_tokens.weight' }
      : {},
  writeConfig(resolved) {
    const config = resolved as ResolvedLlamaDecoderConfig;
    return {
      architectures: ['LlamaForCausalLM'],
      attention_bias: false,
      attention_dropout: config.attentionDropout,
      head_dim: config.headSize,
      ...(config.hiddenDropout > 0 ? { hidden_dropout: config.hiddenDropout } : {}),
      hidden_act: 'silu',
      hidden_size: config.hiddenSize,
      initializer_range: config.initializerRange,
      intermediate_size: config.intermediateSize,
      max_position_embeddings: config.maxPositions,
      mlp_bias: false,
      model_type: 'llama',
      num_attention_heads: config.numHeads,
      num_hidden_layers: config.numLayers,
      num_key_value_heads: config.numKeyValueHeads,
      pretraining_tp: 1,
      rms_norm_eps: config.layerNormEpsilon,
      rope_scaling: null,
      rope_theta: config.ropeTheta,
      tie_word_embeddings: config.tieWordEmbeddings,
      torch_dtype: 'float32',
      vocab_size: config.vocabularySize,
    };
  },
};
