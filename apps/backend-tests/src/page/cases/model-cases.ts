// The reference models of @lm-objectives/models (forward pass and the gradient of every weight,
// dropout included) and the trainer's update (global-norm clipping and AdamW), which every
// training step runs.
import { createRng } from '@lm-objectives/core';
import {
  createBertEncoder,
  createCausalDecoder,
  createGlmEncoder,
  type TransformerModel,
} from '@lm-objectives/models';
import { clipByGlobalNorm, createAdamW } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { type AgreementCase, gradientName, seededIds, seededTensor } from '../agreement-case';

const VOCABULARY = 50;
const BATCH = 2;
const LENGTH = 9;
const SIZES = { vocabularySize: VOCABULARY, hiddenSize: 16, numLayers: 2, numHeads: 4 } as const;

/**
 * The hidden states of `model` and the gradient of $\sum h \odot R$ with respect to every model
 * weight. `training` runs dropout with masks from a seeded random source (the same on every
 * backend).
 */
function modelCase(
  name: string,
  create: () => TransformerModel,
  inputs: () => Record<string, tf.Tensor>,
  training = false,
): AgreementCase {
  return {
    name,
    run: () => {
      const model = create();
      const forward = () =>
        model.apply(inputs() as never, training ? { training, random: createRng(12) } : {})
          .hiddenStates as tf.Tensor;
      const hidden = forward();
      const cotangent = seededTensor(hidden.shape, 13);
      const variables = [...model.variables];
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(forward(), cotangent)) as tf.Scalar,
        variables,
      );
      const outputs: Record<string, tf.Tensor> = { hiddenStates: hidden };
      variables.forEach((variable, index) => {
        outputs[gradientName(variable, index)] = grads[variable.name]!;
      });
      return { outputs, dispose: () => model.dispose() };
    },
  };
}

const ids = () => tf.tensor2d(seededIds(BATCH * LENGTH, 14, VOCABULARY), [BATCH, LENGTH], 'int32');
const paddingMask = () =>
  tf.tensor2d(
    Array.from({ length: BATCH * LENGTH }, (_, index) => (index >= 2 * LENGTH - 3 ? 0 : 1)),
    [BATCH, LENGTH],
    'int32',
  );

/** The three reference models, and one with dropout. */
const MODEL_CASES: AgreementCase[] = [
  modelCase(
    'createBertEncoder: post-LN encoder with padding mask and token types',
    () => createBertEncoder({ ...SIZES, maxPositions: LENGTH, seed: 15 }),
    () => ({
      inputIds: ids(),
      tokenTypeIds: tf.tensor2d(
        Array.from({ length: BATCH * LENGTH }, (_, index) => (index % LENGTH > 4 ? 1 : 0)),
        [BATCH, LENGTH],
        'int32',
      ),
      attentionMask: paddingMask(),
    }),
  ),
  modelCase(
    'createGlmEncoder: 2-D positions and a prefix-LM bias',
    () => createGlmEncoder({ ...SIZES, maxPositions: LENGTH, seed: 16 }),
    () => ({
      inputIds: ids(),
      positionIds: tf.tensor2d(
        Array.from({ length: BATCH * LENGTH }, (_, index) => Math.min(index % LENGTH, 5)),
        [BATCH, LENGTH],
        'int32',
      ),
      blockPositionIds: tf.tensor2d(
        Array.from({ length: BATCH * LENGTH }, (_, index) => Math.max((index % LENGTH) - 5, 0)),
        [BATCH, LENGTH],
        'int32',
      ),
    }),
  ),
  modelCase(
    'createCausalDecoder: causal and padding masks',
    () => createCausalDecoder({ ...SIZES, maxPositions: LENGTH, seed: 17 }),
    () => ({ inputIds: ids(), attentionMask: paddingMask() }),
  ),
  modelCase(
    'createCausalDecoder with dropout 0.1 (seeded masks) in training mode',
    () =>
      createCausalDecoder({
        ...SIZES,
        maxPositions: LENGTH,
        seed: 18,
        hiddenDropout: 0.1,
        attentionDropout: 0.1,
      }),
    () => ({ inputIds: ids() }),
    true,
  ),
];

/**
 * Three AdamW steps with weight decay on gradients clipped to a global norm of 1. Twelve
 * gradients: more than a WebGPU shader may bind (tfjs-webgpu's AddN of that many inputs fails).
 */
const UPDATE_CASE: AgreementCase = {
  name: 'clipByGlobalNorm + AdamW: three updates of twelve weights with weight decay',
  run: () => {
    const shapes = Array.from({ length: 12 }, (_, index) =>
      [[6, 5], [5], [3, 4, 2]][index % 3]!.map((size) => size + (index % 2)),
    );
    const variables = shapes.map((shape, index) =>
      tf.variable(seededTensor(shape, 20 + index), true, `weight${index}`),
    );
    const optimizer = createAdamW(variables, { weightDecay: 0.1 });
    const norms: tf.Tensor[] = [];
    for (let step = 0; step < 3; step++) {
      const gradients = shapes.map((shape, index) =>
        seededTensor(shape, 30 + 10 * step + index, 2),
      );
      const { gradients: clipped, norm } = clipByGlobalNorm(gradients, 1);
      optimizer.applyGradients(clipped, 0.01);
      norms.push(norm);
    }
    const outputs: Record<string, tf.Tensor> = { norms: tf.stack(norms) };
    variables.forEach((variable, index) => {
      outputs[`weight${index}`] = tf.clone(variable);
    });
    return {
      outputs,
      dispose: () => {
        optimizer.dispose();
        tf.dispose(variables);
      },
    };
  },
};

/** Every model and update case. */
export const MODEL_AND_UPDATE_CASES: readonly AgreementCase[] = [...MODEL_CASES, UPDATE_CASE];
