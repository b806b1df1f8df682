import { checkBoolean, checkNumberInRange } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildTransformer } from './build-transformer';
import {
  type ResolvedTransformerConfig,
  resolveTransformerConfig,
  type TransformerConfig,
} from './transformer-config';
import type { CommonInputs, TransformerModel, TransformerOutputs } from './transformer-model';

/** Configuration of {@link createBertEncoder}: {@link TransformerConfig} plus segments and the pooler. */
export interface BertEncoderConfig extends TransformerConfig {
  /** Rows of the segment (token type) table. Default 2 (sentence A and B). */
  typeVocabularySize?: number;
  /**
   * Add BERT's pooler, $\mathrm{pooled} = \tanh(h_{[:,0]} W + b)$ (linear `pooler.dense`), and
   * return `pooledOutput`. Default `false`: the BERT objective owns its pooler by default.
   */
  pooler?: boolean;
}

/** {@link BertEncoderConfig} with every default filled in. */
export interface ResolvedBertEncoderConfig extends ResolvedTransformerConfig {
  readonly typeVocabularySize: number;
  readonly pooler: boolean;
}

/** Inputs of a {@link BertEncoder}. */
export interface BertEncoderInputs extends CommonInputs {
  /** int32 `[B, L]` segment ids in $[0, \mathrm{typeVocabularySize})$ (0 for `[CLS] A [SEP]`, 1 for `B [SEP]`). Default all 0. */
  segmentIds?: tf.Tensor;
}

/** Outputs of a {@link BertEncoder}: what the BERT objective reads. */
export type BertEncoderOutputs = TransformerOutputs & {
  /** float32 `[B, H]`, $\tanh(h_{[:,0]} W + b)$, when the config has `pooler: true`. Caller-owned. */
  readonly pooledOutput?: tf.Tensor2D;
};

/** A bidirectional Transformer encoder with token, position and segment embeddings (BERT). */
export type BertEncoder = TransformerModel<
  BertEncoderInputs,
  BertEncoderOutputs,
  ResolvedBertEncoderConfig
>;

/**
 * Creates a BERT-style encoder: $h_0 = \mathrm{LN}(E_{\mathrm{tok}}[x] + E_{\mathrm{pos}}[p] + E_{\mathrm{seg}}[s])$,
 * then `numLayers` post-LN blocks (bidirectional self-attention, GELU feed-forward), every query
 * seeing every non-padding key. Outputs the hidden states `[B, L, H]` with the tied projection
 * (core's `HiddenStateScores`) and the embedding table, so the BERT objective's masked-LM head ties
 * to it; `pooledOutput` with `pooler: true`.
 *
 * @example
 * const encoder = createBertEncoder({ vocabularySize: 3000, hiddenSize: 64, numLayers: 2, numHeads: 4 });
 * const { hiddenStates, embeddingTable } = encoder.apply({ inputIds, segmentIds, attentionMask });
 */
export function createBertEncoder(config: BertEncoderConfig): BertEncoder {
  const functionName = 'createBertEncoder';
  const base = resolveTransformerConfig(functionName, config, 'post', [
    'typeVocabularySize',
    'pooler',
  ]);
  const typeVocabularySize = checkNumberInRange(
    { functionName, argumentName: 'config.typeVocabularySize' },
    config.typeVocabularySize ?? 2,
    { min: 1, max: 1 << 20, integer: true },
    'pass the number of segment types, e.g. 2.',
  );
  const pooler = checkBoolean(
    { functionName, argumentName: 'config.pooler' },
    config.pooler,
    false,
  );
  const resolved: ResolvedBertEncoderConfig = Object.freeze({
    ...base,
    typeVocabularySize,
    pooler,
  });
  return buildTransformer<BertEncoderInputs, BertEncoderOutputs, ResolvedBertEncoderConfig>({
    kind: 'bert-encoder',
    applyName: 'BertEncoder.apply',
    config: resolved,
    extraEmbeddings: [
      {
        table: 'embeddings.segment',
        input: 'segmentIds',
        rows: typeVocabularySize,
        required: false,
        what: 'segment ids',
      },
    ],
    causal: false,
    requirePositionIds: false,
    ...(pooler
      ? {
          createHead(addLinear) {
            addLinear('pooler.dense');
          },
          extendOutputs(hidden, linear) {
            const [batchSize, , hiddenSize] = hidden.shape;
            const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batchSize, 1, hiddenSize]), [
              batchSize,
              hiddenSize,
            ]);
            return { pooledOutput: tf.tanh(linear('pooler.dense', first)) };
          },
        }
      : {}),
  });
}
