import { checkBoolean, checkNumberInRange, InvalidArgumentError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  BERT_PRE_TRAINING_HEAD_LINEARS,
  type BertMaskedLmScores,
  bertPooledOutput,
  bertPreTrainingHeads,
  bertPreTrainingHeadWeights,
} from './bert-pre-training-heads';
import { buildTransformer } from './build-transformer';
import { geluTransformerArchitecture } from './gelu-transformer-architecture';
import {
  type ResolvedTransformerConfig,
  resolveTransformerConfig,
  type TransformerConfig,
} from './transformer-config';
import type { CommonInputs, TransformerModel, TransformerOutputs } from './transformer-model';
import type { OutputContext, TransformerSpec } from './transformer-spec';

/** Configuration of {@link createBertEncoder}: {@link TransformerConfig} plus token types, the pooler and the heads. */
export interface BertEncoderConfig extends TransformerConfig {
  /** Rows of the token type (segment) table. Default 2 (sentence A and B). */
  typeVocabularySize?: number;
  /**
   * Add BERT's pooler, $\mathrm{pooled} = \tanh(h_{[:,0]} W + b)$ (linear `pooler.dense`), and
   * return `pooledOutput`. Default `false` (the BERT objective owns its pooler by default), `true`
   * with `preTrainingHeads`.
   */
  pooler?: boolean;
  /**
   * Add Hugging Face's `BertPreTrainingHeads` (the masked-LM transform, the decoder bias and the
   * next-sentence classifier) and return `maskedLm` and `nextSentenceLogits`: the whole
   * `BertForPreTraining`. Needs the pooler. Default `false`.
   */
  preTrainingHeads?: boolean;
}

/** {@link BertEncoderConfig} with every default filled in. */
export interface ResolvedBertEncoderConfig extends ResolvedTransformerConfig {
  readonly typeVocabularySize: number;
  readonly pooler: boolean;
  readonly preTrainingHeads: boolean;
}

/** Inputs of a {@link BertEncoder}. */
export interface BertEncoderInputs extends CommonInputs {
  /** int32 `[B, L]` token types in $[0, \mathrm{typeVocabularySize})$ (0 for `[CLS] A [SEP]`, 1 for `B [SEP]`). Default all 0. */
  tokenTypeIds?: tf.Tensor;
}

/** Outputs of a {@link BertEncoder}: what the BERT objective reads. */
export type BertEncoderOutputs = TransformerOutputs & {
  /** float32 `[B, H]`, $\tanh(h_{[:,0]} W + b)$, when the config has `pooler: true`. Caller-owned. */
  readonly pooledOutput?: tf.Tensor2D;
  /** The masked-LM scores, with `preTrainingHeads: true`. */
  readonly maskedLm?: BertMaskedLmScores;
  /** float32 `[B, 2]`, the next-sentence logits (0 = is next, 1 = random), with `preTrainingHeads: true`. Caller-owned. */
  readonly nextSentenceLogits?: tf.Tensor2D;
};

/** A bidirectional Transformer encoder with token, position and token type embeddings (BERT). */
export type BertEncoder = TransformerModel<
  BertEncoderInputs,
  BertEncoderOutputs,
  ResolvedBertEncoderConfig
>;

const FUNCTION_NAME = 'createBertEncoder';

function resolveBertConfig(config: BertEncoderConfig): ResolvedBertEncoderConfig {
  const base = resolveTransformerConfig(FUNCTION_NAME, config, 'post', [
    'typeVocabularySize',
    'pooler',
    'preTrainingHeads',
  ]);
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `config.${name}` });
  const typeVocabularySize = checkNumberInRange(
    site('typeVocabularySize'),
    config.typeVocabularySize ?? 2,
    { min: 1, max: 1 << 20, integer: true },
    'pass the number of token types, e.g. 2.',
  );
  const preTrainingHeads = checkBoolean(site('preTrainingHeads'), config.preTrainingHeads, false);
  const pooler = checkBoolean(site('pooler'), config.pooler, preTrainingHeads);
  if (preTrainingHeads && !pooler) {
    throw new InvalidArgumentError({
      ...site('pooler'),
      expected: 'true (or left out) with preTrainingHeads: true',
      received: pooler,
      fix: 'the next-sentence head reads the pooled output: keep the pooler.',
    });
  }
  return Object.freeze({ ...base, typeVocabularySize, pooler, preTrainingHeads });
}

/**
 * The {@link TransformerSpec} of {@link createBertEncoder}: its weights, blocks and outputs, before anything
 * is allocated (the Hugging Face import and the parameter counts read it).
 *
 * @internal
 */
export function bertEncoderSpec(
  config: BertEncoderConfig,
): TransformerSpec<ResolvedBertEncoderConfig> {
  const resolved = resolveBertConfig(config);
  const { hiddenSize, vocabularySize } = resolved;
  const extendOutputs = (hidden: tf.Tensor3D, context: OutputContext) => {
    const pooledOutput = bertPooledOutput(hidden, context);
    return resolved.preTrainingHeads
      ? { pooledOutput, ...bertPreTrainingHeads(hidden, pooledOutput, context) }
      : { pooledOutput };
  };
  return {
    kind: 'bert-encoder',
    applyName: 'BertEncoder.apply',
    config: resolved,
    architecture: geluTransformerArchitecture(resolved),
    extraEmbeddings: [
      {
        table: 'embeddings.tokenType',
        input: 'tokenTypeIds',
        rows: resolved.typeVocabularySize,
        required: false,
        what: 'token type ids',
      },
    ],
    causal: false,
    requirePositionIds: false,
    ...(resolved.pooler
      ? {
          headWeights: [
            {
              name: 'pooler.dense.kernel',
              shape: [hiddenSize, hiddenSize],
              initializer: 'truncated-normal',
            },
            { name: 'pooler.dense.bias', shape: [hiddenSize], initializer: 'zeros' },
            ...(resolved.preTrainingHeads
              ? bertPreTrainingHeadWeights(hiddenSize, vocabularySize)
              : []),
          ],
          headLinears: [
            { name: 'pooler.dense', kernel: 'pooler.dense.kernel', bias: 'pooler.dense.bias' },
            ...(resolved.preTrainingHeads ? BERT_PRE_TRAINING_HEAD_LINEARS : []),
          ],
          extendOutputs,
        }
      : {}),
  };
}

/**
 * Creates a BERT-style encoder: $h_0 = \mathrm{LN}(E_{\mathrm{tok}}[x] + E_{\mathrm{pos}}[p] + E_{\mathrm{type}}[s])$,
 * then `numLayers` post-LN blocks (bidirectional self-attention, GELU feed-forward), every query
 * seeing every non-padding key. Outputs the hidden states `[B, L, H]` with the tied projection
 * (core's `HiddenStateScores`) and the embedding table, so the BERT objective's masked-LM head ties
 * to it; `pooledOutput` with `pooler: true`; with `preTrainingHeads: true` it is Hugging Face's
 * `BertForPreTraining` and also returns `maskedLm` and `nextSentenceLogits`.
 *
 * @example
 * const encoder = createBertEncoder({ vocabularySize: 3000, hiddenSize: 64, numLayers: 2, numHeads: 4 });
 * const { hiddenStates, embeddingTable } = encoder.apply({ inputIds, tokenTypeIds, attentionMask });
 */
export function createBertEncoder(config: BertEncoderConfig): BertEncoder {
  return buildTransformer<BertEncoderInputs, BertEncoderOutputs, ResolvedBertEncoderConfig>(
    bertEncoderSpec(config),
  );
}
