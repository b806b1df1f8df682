import {
  type BertEncoderConfig,
  bertEncoderSpec,
  type ResolvedBertEncoderConfig,
} from '../models/create-bert-encoder';
import type { ResolvedTransformerConfig } from '../models/transformer-config';
import { type ArchitectureLayout, NEUTRAL_KEYS } from './architecture-layout';
import { direct, type TensorMapping } from './tensor-mapping';

const GELU_NAMES: Readonly<Record<string, 'gelu-tanh' | 'gelu-exact'>> = {
  gelu: 'gelu-exact',
  gelu_new: 'gelu-tanh',
  gelu_pytorch_tanh: 'gelu-tanh',
};

/** An `nn.Linear` (`weight` `[out, in]`, transposed into our `[in, out]` kernel) and its bias. */
function linear(from: string, to: string, inputSize: number, outputSize: number): TensorMapping[] {
  return [
    direct(`${from}.weight`, [outputSize, inputSize], `${to}.kernel`, 'transpose'),
    direct(`${from}.bias`, [outputSize], `${to}.bias`),
  ];
}

/** A `LayerNorm` (`weight` = $\gamma$, `bias` = $\beta$). */
function layerNorm(from: string, to: string, size: number): TensorMapping[] {
  return [
    direct(`${from}.weight`, [size], `${to}.gamma`),
    direct(`${from}.bias`, [size], `${to}.beta`),
  ];
}

/** The tensors of one block `bert.encoder.layer.<layer>`. */
function blockTensors(layer: number, hiddenSize: number, innerSize: number): TensorMapping[] {
  const from = `bert.encoder.layer.${layer}.`;
  const to = `layers.${layer}.`;
  return [
    ...(['query', 'key', 'value'] as const).flatMap((part) =>
      linear(`${from}attention.self.${part}`, `${to}attention.${part}`, hiddenSize, hiddenSize),
    ),
    ...linear(`${from}attention.output.dense`, `${to}attention.output`, hiddenSize, hiddenSize),
    ...layerNorm(`${from}attention.output.LayerNorm`, `${to}attention.layerNorm`, hiddenSize),
    ...linear(`${from}intermediate.dense`, `${to}feedForward.intermediate`, hiddenSize, innerSize),
    ...linear(`${from}output.dense`, `${to}feedForward.output`, innerSize, hiddenSize),
    ...layerNorm(`${from}output.LayerNorm`, `${to}feedForward.layerNorm`, hiddenSize),
  ];
}

/**
 * `BertForPreTraining` ↔ our BERT encoder with `preTrainingHeads`: post-LN blocks, exact GELU
 * (`hidden_act: "gelu"`), the pooler, the masked-LM transform, the decoder tied to the word
 * embeddings with its own bias `cls.predictions.bias`, and the next-sentence classifier.
 * `nn.Linear` weights `[out, in]` are transposed into our `[in, out]` kernels.
 *
 * @internal
 */
export const BERT_LAYOUT: ArchitectureLayout = {
  architecture: 'BertForPreTraining',
  modelType: 'bert',
  modelKind: 'bert-encoder',
  readConfig(reader) {
    reader.allow(...NEUTRAL_KEYS, 'classifier_dropout');
    const activation = reader.value('hidden_act') ?? 'gelu';
    if (typeof activation !== 'string' || !(activation in GELU_NAMES)) {
      reader.refuse(
        'hidden_act',
        "'gelu', 'gelu_new' or 'gelu_pytorch_tanh' (our feed-forward layers use GELU)",
        activation,
        'only GELU checkpoints can be imported.',
      );
    }
    reader.expect(
      'position_embedding_type',
      ['absolute', null],
      'positions are a learned absolute table here; relative_key scores are not implemented',
    );
    reader.expect('is_decoder', [false, null], 'the BERT encoder is bidirectional');
    reader.expect('add_cross_attention', [false, null], 'there is no encoder to attend to');
    reader.expect(
      'tie_word_embeddings',
      [true, null],
      'the masked-LM decoder is tied to the word embeddings',
    );
    const config: BertEncoderConfig = {
      vocabularySize: reader.integer('vocab_size'),
      hiddenSize: reader.integer('hidden_size'),
      numLayers: reader.integer('num_hidden_layers'),
      numHeads: reader.integer('num_attention_heads'),
      intermediateSize: reader.integer('intermediate_size'),
      maxPositions: reader.integer('max_position_embeddings'),
      typeVocabularySize: reader.integer('type_vocab_size', 2),
      normalization: 'post',
      layerNormEpsilon: reader.number('layer_norm_eps', 1e-12),
      activation: GELU_NAMES[activation as string]!,
      hiddenDropout: reader.number('hidden_dropout_prob', 0.1),
      attentionDropout: reader.number('attention_probs_dropout_prob', 0.1),
      pooler: true,
      preTrainingHeads: true,
    };
    return config;
  },
  spec: (config) =>
    bertEncoderSpec(config as BertEncoderConfig) as unknown as ReturnType<
      ArchitectureLayout['spec']
    >,
  tensors(config: ResolvedTransformerConfig) {
    const { hiddenSize, intermediateSize, vocabularySize } = config;
    const types = (config as ResolvedBertEncoderConfig).typeVocabularySize;
    const tensors: TensorMapping[] = [
      direct(
        'bert.embeddings.word_embeddings.weight',
        [vocabularySize, hiddenSize],
        'embeddings.token',
      ),
      direct(
        'bert.embeddings.position_embeddings.weight',
        [config.maxPositions, hiddenSize],
        'embeddings.position',
      ),
      direct(
        'bert.embeddings.token_type_embeddings.weight',
        [types, hiddenSize],
        'embeddings.tokenType',
      ),
      ...layerNorm('bert.embeddings.LayerNorm', 'embeddings.layerNorm', hiddenSize),
    ];
    for (let layer = 0; layer < config.numLayers; layer++) {
      tensors.push(...blockTensors(layer, hiddenSize, intermediateSize));
    }
    tensors.push(
      ...linear('bert.pooler.dense', 'pooler.dense', hiddenSize, hiddenSize),
      direct('cls.predictions.bias', [vocabularySize], 'heads.maskedLm.outputBias'),
      ...linear(
        'cls.predictions.transform.dense',
        'heads.maskedLm.transform',
        hiddenSize,
        hiddenSize,
      ),
      ...layerNorm('cls.predictions.transform.LayerNorm', 'heads.maskedLm.layerNorm', hiddenSize),
      ...linear('cls.seq_relationship', 'heads.nextSentence', hiddenSize, 2),
    );
    return tensors;
  },
  canonicalName(name) {
    if (name === 'bert.embeddings.position_ids') return null;
    return name
      .replace(/LayerNorm\.gamma$/, 'LayerNorm.weight')
      .replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  },
  tiedCopies: () => ({
    'cls.predictions.decoder.weight': 'bert.embeddings.word_embeddings.weight',
    'cls.predictions.decoder.bias': 'cls.predictions.bias',
  }),
  writeConfig(config) {
    const bert = config as ResolvedBertEncoderConfig;
    return {
      architectures: ['BertForPreTraining'],
      attention_probs_dropout_prob: config.attentionDropout,
      hidden_act: config.activation === 'gelu-exact' ? 'gelu' : 'gelu_new',
      hidden_dropout_prob: config.hiddenDropout,
      hidden_size: config.hiddenSize,
      initializer_range: config.initializerRange,
      intermediate_size: config.intermediateSize,
      layer_norm_eps: config.layerNormEpsilon,
      max_position_embeddings: config.maxPositions,
      model_type: 'bert',
      num_attention_heads: config.numHeads,
      num_hidden_layers: config.numLayers,
      position_embedding_type: 'absolute',
      torch_dtype: 'float32',
      type_vocab_size: bert.typeVocabularySize,
      vocab_size: config.vocabularySize,
    };
  },
};
