import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../src/ops/cross-entropy';
import { linear } from '../src/ops/linear';
import { linearCrossEntropy } from '../src/ops/linear-cross-entropy';

/** The loss-layer variants compared on one `[N, H] · [H, V]` language-model head. */
export const LOSS_VARIANTS = ['naive', 'crossEntropy', 'linearCrossEntropy', 'floor'] as const;
export type LossVariant = (typeof LOSS_VARIANTS)[number];

export const LOSS_VARIANT_DESCRIPTIONS: Record<LossVariant, string> = {
  naive:
    'what users write today: `tf.matMul(h, W)`, `tf.losses.softmaxCrossEntropy` on `tf.oneHot` labels, `tf.grads` (autodiff)',
  crossEntropy: '`crossEntropy(tf.matMul(h, W), labels)` on full logits, autodiff of the product',
  linearCrossEntropy: '`linearCrossEntropy(h, W, labels)` (fused, chunked, hand-written gradient)',
  floor:
    'the three products alone, untransposed, with pre-transposed operands: `h·W`, `g·Wᵀ`, `hᵀ·g` (no softmax)',
};

/** The inputs of one loss case; created before timing. */
export interface LossInputs {
  hidden: tf.Tensor2D;
  /** `[H, V]`. */
  weight: tf.Tensor2D;
  labels: tf.Tensor1D;
  /** Floor only: `hᵀ` `[H, N]`, `Wᵀ` `[V, H]` and a stand-in logit gradient `[N, V]`. */
  floor?: {
    hiddenTransposed: tf.Tensor2D;
    weightTransposed: tf.Tensor2D;
    logitGradient: tf.Tensor2D;
  };
}

export function makeLossInputs(
  variant: LossVariant,
  positions: number,
  hiddenSize: number,
  vocabularySize: number,
): LossInputs {
  const hidden = tf.randomNormal([positions, hiddenSize], 0, 1, 'float32', 1) as tf.Tensor2D;
  const weight = tf.randomNormal(
    [hiddenSize, vocabularySize],
    0,
    0.02,
    'float32',
    2,
  ) as tf.Tensor2D;
  const labels = tf.randomUniform([positions], 0, vocabularySize, 'int32', 3) as tf.Tensor1D;
  if (variant !== 'floor') return { hidden, weight, labels };
  const floor = {
    hiddenTransposed: tf.transpose(hidden) as tf.Tensor2D,
    weightTransposed: tf.transpose(weight) as tf.Tensor2D,
    logitGradient: tf.randomNormal(
      [positions, vocabularySize],
      0,
      1e-4,
      'float32',
      4,
    ) as tf.Tensor2D,
  };
  return { hidden, weight, labels, floor };
}

export function disposeLossInputs(inputs: LossInputs): void {
  tf.dispose([inputs.hidden, inputs.weight, inputs.labels]);
  if (inputs.floor) tf.dispose(Object.values(inputs.floor));
}

/**
 * One forward + backward step of `variant`: the mean token loss and its gradients with respect to
 * `h` and `W` (with `forwardOnly`, the loss alone, no gradient tape). Returns the loss value (the
 * floor computes no loss and returns 0); frees everything.
 */
export function lossStep(
  variant: LossVariant,
  inputs: LossInputs,
  chunkSize?: number,
  forwardOnly = false,
): number {
  const { hidden, weight, labels } = inputs;
  const vocabularySize = weight.shape[1];
  if (variant === 'floor') {
    const { hiddenTransposed, weightTransposed, logitGradient } = inputs.floor!;
    tf.matMul(hidden, weight).dispose();
    tf.matMul(logitGradient, weightTransposed).dispose();
    tf.matMul(hiddenTransposed, logitGradient).dispose();
    return 0;
  }
  const lossOf = (h: tf.Tensor, w: tf.Tensor): tf.Scalar => {
    if (variant === 'naive') {
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, vocabularySize), tf.matMul(h, w));
    }
    if (variant === 'crossEntropy') return crossEntropy(tf.matMul(h, w), labels).loss;
    return linearCrossEntropy(h, w, labels, chunkSize === undefined ? {} : { chunkSize }).loss;
  };
  if (forwardOnly) {
    const value = tf.tidy(() => lossOf(hidden, weight));
    const loss = value.dataSync()[0]!;
    value.dispose();
    return loss;
  }
  const { value, grads } = tf.valueAndGrads(lossOf)([hidden, weight]);
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...grads]);
  return loss;
}

/** The `linear` training-step variants: a 2-layer MLP `768 → 3072 → 768` with ReLU. */
export const LINEAR_VARIANTS = ['linear', 'fusedMatMulAutodiff', 'matMulAutodiff'] as const;
export type LinearVariant = (typeof LINEAR_VARIANTS)[number];

export const LINEAR_VARIANT_DESCRIPTIONS: Record<LinearVariant, string> = {
  linear: '`linear(x, W, b)` (explicit-transpose hand-written gradient)',
  fusedMatMulAutodiff:
    '`tf.fused.matMul({a, b: W, bias, activation})` + autodiff: what `tf.layers.dense` runs (its `K.dot` calls `tf.fused.matMul`); `@tensorflow/tfjs-layers` is not a dependency here',
  matMulAutodiff: '`tf.add(tf.matMul(x, W), b)` + autodiff',
};

export interface MlpInputs {
  input: tf.Tensor2D;
  target: tf.Tensor2D;
  parameters: tf.Variable[];
}

export function makeMlpInputs(rows: number, width: number, hiddenWidth: number): MlpInputs {
  const input = tf.randomNormal([rows, width], 0, 1, 'float32', 5) as tf.Tensor2D;
  const target = tf.randomNormal([rows, width], 0, 1, 'float32', 6) as tf.Tensor2D;
  const scale1 = Math.sqrt(2 / width);
  const scale2 = Math.sqrt(1 / hiddenWidth);
  const initial = [
    tf.randomNormal([width, hiddenWidth], 0, scale1, 'float32', 7),
    tf.zeros([hiddenWidth]),
    tf.randomNormal([hiddenWidth, width], 0, scale2, 'float32', 8),
    tf.zeros([width]),
  ];
  const parameters = initial.map((value) => tf.variable(value));
  tf.dispose(initial);
  return { input, target, parameters };
}

export function disposeMlpInputs(inputs: MlpInputs): void {
  tf.dispose([inputs.input, inputs.target, ...inputs.parameters]);
}

/** One SGD training step (forward, backward, update) of the MLP; returns the loss value. */
export function mlpStep(
  variant: LinearVariant,
  inputs: MlpInputs,
  optimizer: tf.Optimizer,
): number {
  const [kernel1, bias1, kernel2, bias2] = inputs.parameters as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  const dense = (
    x: tf.Tensor2D,
    kernel: tf.Tensor2D,
    bias: tf.Tensor1D,
    relu: boolean,
  ): tf.Tensor2D => {
    if (variant === 'linear') {
      const y = linear(x, kernel, bias) as tf.Tensor2D;
      return relu ? (tf.relu(y) as tf.Tensor2D) : y;
    }
    if (variant === 'fusedMatMulAutodiff') {
      return tf.fused.matMul({
        a: x,
        b: kernel,
        bias,
        ...(relu ? { activation: 'relu' as const } : {}),
      }) as tf.Tensor2D;
    }
    const y = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
    return relu ? (tf.relu(y) as tf.Tensor2D) : y;
  };
  const loss = optimizer.minimize(
    () => {
      const hiddenLayer = dense(inputs.input, kernel1 as tf.Tensor2D, bias1 as tf.Tensor1D, true);
      const output = dense(hiddenLayer, kernel2 as tf.Tensor2D, bias2 as tf.Tensor1D, false);
      return tf.mean(tf.square(tf.sub(output, inputs.target)));
    },
    true,
    inputs.parameters,
  )!;
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}
