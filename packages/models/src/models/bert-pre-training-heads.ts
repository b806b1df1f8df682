import * as tf from '@tensorflow/tfjs-core';
import type { LinearDeclaration, OutputContext, WeightDeclaration } from './transformer-spec';

/**
 * BERT's masked-LM scores as core's `HiddenStateScores`: the transformed states
 * $t = \mathrm{LN}(\mathrm{gelu}(h W_t + b_t))$ and the decoder tied to the token table with its own
 * bias, so $\mathrm{logits} = t E^\top + b_\mathrm{out}$ (core's fused `tokenCrossEntropy` takes it
 * directly and never builds every logit).
 */
export type BertMaskedLmScores = {
  /** float32 `[B, L, H]`, the transformed states $t$. Caller-owned. */
  readonly hiddenStates: tf.Tensor3D;
  /** The decoder, tied to the token table, with its own bias (core's `OutputProjection`). */
  readonly projection: {
    /** float32 `[V, H]`: the token table $E$. Model-owned. */
    readonly weight: tf.Tensor;
    /** The table is `[V, H]`: logits $= tE^\top + b_\mathrm{out}$. */
    readonly layout: 'vocab-by-hidden';
    /** float32 `[V]`: the decoder's own bias $b_\mathrm{out}$. Model-owned. */
    readonly bias: tf.Tensor;
  };
};

/** The pre-training heads' weights in creation order (after the pooler). @internal */
export function bertPreTrainingHeadWeights(
  hiddenSize: number,
  vocabularySize: number,
): WeightDeclaration[] {
  return [
    {
      name: 'heads.maskedLm.transform.kernel',
      shape: [hiddenSize, hiddenSize],
      initializer: 'truncated-normal',
    },
    { name: 'heads.maskedLm.transform.bias', shape: [hiddenSize], initializer: 'zeros' },
    { name: 'heads.maskedLm.layerNorm.gamma', shape: [hiddenSize], initializer: 'ones' },
    { name: 'heads.maskedLm.layerNorm.beta', shape: [hiddenSize], initializer: 'zeros' },
    { name: 'heads.maskedLm.outputBias', shape: [vocabularySize], initializer: 'zeros' },
    { name: 'heads.nextSentence.kernel', shape: [hiddenSize, 2], initializer: 'truncated-normal' },
    { name: 'heads.nextSentence.bias', shape: [2], initializer: 'zeros' },
  ];
}

/** The heads' named linears. @internal */
export const BERT_PRE_TRAINING_HEAD_LINEARS: readonly LinearDeclaration[] = [
  {
    name: 'heads.maskedLm.transform',
    kernel: 'heads.maskedLm.transform.kernel',
    bias: 'heads.maskedLm.transform.bias',
  },
  {
    name: 'heads.nextSentence',
    kernel: 'heads.nextSentence.kernel',
    bias: 'heads.nextSentence.bias',
  },
];

/**
 * BERT's pre-training heads (Hugging Face's `BertPreTrainingHeads`): the masked-LM scores
 * ({@link BertMaskedLmScores}) and the next-sentence logits $p W_\mathrm{nsp} + b_\mathrm{nsp}$
 * `[B, 2]` from the pooled output $p$. Call inside the forward tidy.
 *
 * @internal
 */
export function bertPreTrainingHeads(
  hidden: tf.Tensor3D,
  pooled: tf.Tensor,
  context: OutputContext,
): { maskedLm: BertMaskedLmScores; nextSentenceLogits: tf.Tensor2D } {
  const transformed = context.norm(
    'heads.maskedLm.layerNorm',
    context.activation(context.linear('heads.maskedLm.transform', hidden)),
  ) as tf.Tensor3D;
  return {
    maskedLm: {
      hiddenStates: transformed,
      projection: {
        weight: context.weights['embeddings.token']!,
        layout: 'vocab-by-hidden',
        bias: context.weights['heads.maskedLm.outputBias']!,
      },
    },
    nextSentenceLogits: context.linear('heads.nextSentence', pooled) as tf.Tensor2D,
  };
}

/** BERT's pooler $\tanh(h_{[:,0]} W_p + b_p)$ on the first position of each row. @internal */
export function bertPooledOutput(hidden: tf.Tensor3D, context: OutputContext): tf.Tensor2D {
  const [batchSize, , hiddenSize] = hidden.shape;
  const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batchSize, 1, hiddenSize]), [
    batchSize,
    hiddenSize,
  ]);
  return tf.tanh(context.linear('pooler.dense', first)) as tf.Tensor2D;
}
