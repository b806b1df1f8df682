// Every tensor utility of @lm-objectives/core, forward and backward, in the variants the
// objectives and the reference models use. Sizes are small but not trivial: a vocabulary of 37,
// chunks that do not divide the rows, repeated and ignored labels.
import {
  causalAttentionBias,
  causalShift,
  combineAttentionBiases,
  crossEntropy,
  embeddingLookup,
  gatherFlatRows,
  gatherPositions,
  geluExact,
  geluTanh,
  layerNormalization,
  linear,
  linearCrossEntropy,
  paddingAttentionBias,
  prefixLmAttentionBias,
  type TokenLossOptions,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { type AgreementCase, cotangentGradients, seededIds, seededTensor } from '../agreement-case';

const BATCH = 2;
const LENGTH = 7;
const HIDDEN = 8;
const VOCABULARY = 37;

/** Labels `[BATCH, LENGTH]` with a few ignored (−100) positions and a repeated class. */
function labels(): Int32Array {
  const values = seededIds(BATCH * LENGTH, 11, VOCABULARY);
  values[2] = -100;
  values[LENGTH + 4] = -100;
  values[5] = values[6]!;
  return values;
}

function labelTensor(): tf.Tensor {
  return tf.tensor2d(labels(), [BATCH, LENGTH], 'int32');
}

/** A cross-entropy case: loss parts and the logits' gradient. */
function crossEntropyCase(variant: string, options: TokenLossOptions): AgreementCase {
  return {
    name: `crossEntropy: ${variant}`,
    run: () => {
      const logits = seededTensor([BATCH, LENGTH, VOCABULARY], 1, 3);
      const result = crossEntropy(logits, labelTensor(), options);
      const [gradient] =
        options.reduction === 'none'
          ? cotangentGradients((x) => crossEntropy(x, labels(), options).loss, [logits], 5)
          : tf.grads((x: tf.Tensor) => crossEntropy(x, labels(), options).loss)([logits]);
      logits.dispose();
      return {
        outputs: { loss: result.loss, sum: result.sum, count: result.count, dLogits: gradient! },
      };
    },
  };
}

/** A fused linear cross-entropy case: loss parts and the gradients of hidden, weight and bias. */
function linearCrossEntropyCase(
  variant: string,
  layout: 'hidden-by-vocab' | 'vocab-by-hidden',
  options: TokenLossOptions & { chunkSize?: number; withBias?: boolean },
): AgreementCase {
  return {
    name: `linearCrossEntropy: ${variant}`,
    run: () => {
      const { withBias, ...lossOptions } = options;
      const hidden = seededTensor([BATCH, LENGTH, HIDDEN], 2);
      const weight = seededTensor(
        layout === 'hidden-by-vocab' ? [HIDDEN, VOCABULARY] : [VOCABULARY, HIDDEN],
        3,
        0.5,
      );
      const bias = withBias ? seededTensor([VOCABULARY], 4, 0.1) : undefined;
      const loss = (h: tf.Tensor, w: tf.Tensor, b?: tf.Tensor) =>
        linearCrossEntropy(h, w, labels(), {
          ...lossOptions,
          weightLayout: layout,
          ...(b ? { bias: b } : {}),
        });
      const result = loss(hidden, weight, bias);
      const inputs = bias ? [hidden, weight, bias] : [hidden, weight];
      const gradients =
        options.reduction === 'none'
          ? cotangentGradients((h, w, b) => loss(h!, w!, b).loss, inputs, 6)
          : tf.grads((h: tf.Tensor, w: tf.Tensor, b?: tf.Tensor) => loss(h, w, b).loss)(inputs);
      tf.dispose(inputs);
      const outputs: Record<string, tf.Tensor> = {
        loss: result.loss,
        sum: result.sum,
        count: result.count,
        dHidden: gradients[0]!,
        dWeight: gradients[1]!,
      };
      if (gradients[2]) outputs['dBias'] = gradients[2];
      return { outputs };
    },
  };
}

/** Cross-entropy, fused cross-entropy and their options. */
const LOSS_CASES: AgreementCase[] = [
  crossEntropyCase('mean over counted positions, ignored labels', {}),
  crossEntropyCase('causal shift, label smoothing 0.1, z-loss 1e-3', {
    shift: true,
    labelSmoothing: 0.1,
    zLoss: 1e-3,
  }),
  crossEntropyCase('sum reduction with numItemsInBatch', { reduction: 'sum' }),
  crossEntropyCase('per-position (reduction none)', { reduction: 'none' }),
  crossEntropyCase('mean with numItemsInBatch 20', { numItemsInBatch: 20 }),
  linearCrossEntropyCase('[H, V] weight with bias, chunks of 5 rows', 'hidden-by-vocab', {
    chunkSize: 5,
    withBias: true,
  }),
  linearCrossEntropyCase('tied [V, H] weight, causal shift, one chunk', 'vocab-by-hidden', {
    shift: true,
  }),
  linearCrossEntropyCase('tied [V, H] weight, per position, chunks of 3', 'vocab-by-hidden', {
    reduction: 'none',
    chunkSize: 3,
  }),
  linearCrossEntropyCase(
    '[H, V] weight, label smoothing and z-loss, chunks of 4',
    'hidden-by-vocab',
    { labelSmoothing: 0.1, zLoss: 1e-3, chunkSize: 4 },
  ),
  {
    name: 'tokenCrossEntropy: hidden states and a tied projection',
    run: () => {
      const hidden = seededTensor([BATCH, LENGTH, HIDDEN], 2);
      const table = seededTensor([VOCABULARY, HIDDEN], 3, 0.5);
      const loss = (h: tf.Tensor, w: tf.Tensor) =>
        tokenCrossEntropy(
          { hiddenStates: h, projection: { weight: w, layout: 'vocab-by-hidden' } },
          labels(),
          { shift: true },
        ).loss;
      const value = loss(hidden, table);
      const [dHidden, dTable] = tf.grads(loss)([hidden, table]);
      tf.dispose([hidden, table]);
      return { outputs: { loss: value, dHidden: dHidden!, dTable: dTable! } };
    },
  },
  {
    name: 'tokenAccuracy: shifted, ignored labels',
    run: () => {
      const logits = seededTensor([BATCH, LENGTH, VOCABULARY], 1, 3);
      const accuracy = tokenAccuracy(logits, labels(), { shift: true });
      logits.dispose();
      return { outputs: { ...accuracy } };
    },
  },
];

/** Gathers, products, normalisation and activations, each with its gradient. */
const LAYER_CASES: AgreementCase[] = [
  {
    name: 'embeddingLookup: repeated ids, table gradient',
    run: () => {
      const table = seededTensor([VOCABULARY, HIDDEN], 7);
      const ids = seededIds(BATCH * LENGTH, 8, VOCABULARY);
      ids[3] = ids[9]!;
      const idTensor = () => tf.tensor2d(ids, [BATCH, LENGTH], 'int32');
      const value = embeddingLookup(table, idTensor());
      const [dTable] = cotangentGradients((t) => embeddingLookup(t!, idTensor()), [table], 9);
      table.dispose();
      return { outputs: { value, dTable: dTable! } };
    },
  },
  {
    name: 'gatherPositions: repeated positions, hidden gradient',
    run: () => {
      const hidden = seededTensor([BATCH, LENGTH, HIDDEN], 10);
      const positions = () => tf.tensor2d([0, 3, 3, 6, 1, 2, 0, 0], [BATCH, 4], 'int32');
      const value = gatherPositions(hidden, positions());
      const [dHidden] = cotangentGradients((h) => gatherPositions(h!, positions()), [hidden], 12);
      hidden.dispose();
      return { outputs: { value, dHidden: dHidden! } };
    },
  },
  {
    name: 'gatherFlatRows: flat positions, rows gradient',
    run: () => {
      const rows = seededTensor([BATCH, LENGTH, HIDDEN], 13);
      const positions = Int32Array.from([0, 5, 5, 8, 13, 2]);
      const value = gatherFlatRows(rows, positions);
      const [dRows] = cotangentGradients((r) => gatherFlatRows(r!, positions), [rows], 14);
      rows.dispose();
      return { outputs: { value, dRows: dRows! } };
    },
  },
  {
    name: 'linear: x W + b, gradients of x, W and b',
    run: () => {
      const x = seededTensor([BATCH, LENGTH, HIDDEN], 15);
      const kernel = seededTensor([HIDDEN, 12], 16, 0.5);
      const bias = seededTensor([12], 17, 0.1);
      const value = linear(x, kernel, bias);
      const [dX, dKernel, dBias] = cotangentGradients(
        (a, w, b) => linear(a!, w!, b),
        [x, kernel, bias],
        18,
      );
      tf.dispose([x, kernel, bias]);
      return { outputs: { value, dX: dX!, dKernel: dKernel!, dBias: dBias! } };
    },
  },
  {
    name: 'layerNormalization: gradients of x, gamma and beta',
    run: () => {
      const x = seededTensor([BATCH, LENGTH, HIDDEN], 19, 2);
      const gamma = seededTensor([HIDDEN], 20, 0.5);
      const beta = seededTensor([HIDDEN], 21, 0.1);
      const value = layerNormalization(x, gamma, beta, 1e-5);
      const [dX, dGamma, dBeta] = cotangentGradients(
        (a, g, b) => layerNormalization(a!, g!, b!, 1e-5),
        [x, gamma, beta],
        22,
      );
      tf.dispose([x, gamma, beta]);
      return { outputs: { value, dX: dX!, dGamma: dGamma!, dBeta: dBeta! } };
    },
  },
  {
    name: 'geluTanh: value and gradient',
    run: () => {
      const x = seededTensor([BATCH, LENGTH, HIDDEN], 23, 2);
      const value = geluTanh(x);
      const [dX] = cotangentGradients((a) => geluTanh(a!), [x], 24);
      x.dispose();
      return { outputs: { value, dX: dX! } };
    },
  },
  {
    name: 'geluExact: value and gradient (Erf)',
    run: () => {
      const x = seededTensor([BATCH, LENGTH, HIDDEN], 25, 2);
      const value = geluExact(x);
      const [dX] = cotangentGradients((a) => geluExact(a!), [x], 26);
      x.dispose();
      return { outputs: { value, dX: dX! } };
    },
  },
];

/** Masks and label shifts (no gradients: they are built from integer inputs). */
const MASK_CASES: AgreementCase[] = [
  {
    name: 'attention biases: padding, causal, prefix-LM and their combination',
    run: () => {
      const mask = tf.tensor2d(
        [1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
        [BATCH, LENGTH],
        'int32',
      );
      const padding = paddingAttentionBias(mask);
      const causal = causalAttentionBias(LENGTH);
      const prefix = prefixLmAttentionBias([3, 5], LENGTH);
      const combined = combineAttentionBiases(padding, causal, prefix);
      mask.dispose();
      return { outputs: { padding, causal, prefix, combined } };
    },
  },
  {
    name: 'causalShift: labels one step left',
    run: () => ({ outputs: { shifted: causalShift(labelTensor()) } }),
  },
];

/** Every core op case. */
export const CORE_OP_CASES: readonly AgreementCase[] = [
  ...LOSS_CASES,
  ...LAYER_CASES,
  ...MASK_CASES,
];
