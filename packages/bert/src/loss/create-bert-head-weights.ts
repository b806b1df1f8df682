import { createRng, truncatedNormalValues } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** The masked-LM head's own weights (the output layer itself is the tied embedding table). */
export interface MaskedLmHeadWeights {
  /** `[H, H]`: the dense transform, $x W + b$. */
  readonly transformKernel: tf.Variable;
  /** `[H]`. */
  readonly transformBias: tf.Variable;
  /** `[H]`: LayerNorm scale $\gamma$ (initialised to 1). */
  readonly layerNormGamma: tf.Variable;
  /** `[H]`: LayerNorm shift $\beta$ (initialised to 0). */
  readonly layerNormBeta: tf.Variable;
  /** `[V]`: the output bias added to the tied-embedding logits (initialised to 0). */
  readonly outputBias: tf.Variable;
}

/** The next-sentence head's weights. */
export interface NextSentenceHeadWeights {
  /** `[H, H]`: the pooler, $\tanh(h_0 W_p + b_p)$; absent when the model supplies the pooled output. */
  readonly poolerKernel: tf.Variable | undefined;
  /** `[H]`. */
  readonly poolerBias: tf.Variable | undefined;
  /** `[H, 2]`: the classifier, logits $= p W_c + b_c$. */
  readonly classifierKernel: tf.Variable;
  /** `[2]`. */
  readonly classifierBias: tf.Variable;
}

/** Every weight the BERT objective owns. */
export interface BertHeadWeights {
  readonly maskedLm: MaskedLmHeadWeights;
  readonly nextSentence: NextSentenceHeadWeights;
}

/** How to create {@link BertHeadWeights}. */
export interface BertHeadWeightSettings {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  /** $\sigma$ of the truncated normal kernels. */
  readonly initializerRange: number;
  /** Whether the objective owns the pooler (else the model supplies the pooled output). */
  readonly ownPooler: boolean;
  readonly seed: number;
}

let instances = 0;

/**
 * Creates the heads' variables: kernels from a truncated normal ($\sigma$ = `initializerRange`,
 * cut at $2\sigma$) drawn from `createRng(seed)`, one fork per kernel; biases 0; LayerNorm
 * $\gamma = 1$, $\beta = 0$. Variable names carry an instance number, as tfjs requires unique names.
 */
export function createBertHeadWeights(settings: BertHeadWeightSettings): BertHeadWeights {
  const { vocabularySize, hiddenSize, initializerRange, ownPooler, seed } = settings;
  const random = createRng(seed);
  const prefix = `bert-mlm-nsp-${++instances}`;
  const kernel = (name: string, rows: number, columns: number) => {
    const values = truncatedNormalValues(random.fork(), rows * columns, {
      standardDeviation: initializerRange,
    });
    return tf.tidy(() =>
      tf.variable(tf.tensor2d(values, [rows, columns]), true, `${prefix}/${name}`),
    );
  };
  const filled = (name: string, size: number, value: number) =>
    tf.tidy(() => tf.variable(tf.fill([size], value), true, `${prefix}/${name}`));
  // Draw the kernels in a fixed order whatever the pooler setting, so the seed means the same.
  const transformKernel = kernel('masked-lm/transform/kernel', hiddenSize, hiddenSize);
  const classifierKernel = kernel('next-sentence/classifier/kernel', hiddenSize, 2);
  const poolerKernel = ownPooler
    ? kernel('next-sentence/pooler/kernel', hiddenSize, hiddenSize)
    : undefined;
  return {
    maskedLm: {
      transformKernel,
      transformBias: filled('masked-lm/transform/bias', hiddenSize, 0),
      layerNormGamma: filled('masked-lm/layer-norm/gamma', hiddenSize, 1),
      layerNormBeta: filled('masked-lm/layer-norm/beta', hiddenSize, 0),
      outputBias: filled('masked-lm/output-bias', vocabularySize, 0),
    },
    nextSentence: {
      poolerKernel,
      poolerBias: ownPooler ? filled('next-sentence/pooler/bias', hiddenSize, 0) : undefined,
      classifierKernel,
      classifierBias: filled('next-sentence/classifier/bias', 2, 0),
    },
  };
}

/** The weights as a flat list in a fixed order (masked-LM head, then next-sentence head). */
export function listHeadWeights(weights: BertHeadWeights): tf.Variable[] {
  const { maskedLm, nextSentence } = weights;
  return [
    maskedLm.transformKernel,
    maskedLm.transformBias,
    maskedLm.layerNormGamma,
    maskedLm.layerNormBeta,
    maskedLm.outputBias,
    nextSentence.poolerKernel,
    nextSentence.poolerBias,
    nextSentence.classifierKernel,
    nextSentence.classifierBias,
  ].filter((weight): weight is tf.Variable => weight !== undefined);
}
