import type * as tf from '@tensorflow/tfjs-core';

/** What the model hands to the BERT objective's tensor side. */
export interface BertModelOutputs {
  /** float32 `[B, L, H]`: the encoder's last hidden states. */
  readonly hiddenStates: tf.Tensor;
  /** float32 `[V, H]`: the input token embedding table, reused (tied) as the masked-LM output layer. */
  readonly embeddingTable: tf.Tensor;
  /** float32 `[B, H]`: the model's own pooled output; required with `pooler: 'model'`, else unused. */
  readonly pooledOutput?: tf.Tensor;
}
