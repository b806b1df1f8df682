// Test support (not exported): a tiny next-token objective and a tiny model built only from
// @lm-objectives/core, small enough for the cpu backend.
import {
  createRng,
  defineObjective,
  embeddingLookup,
  IGNORE_INDEX,
  type LossObjectiveV1,
  linear,
  type ObjectiveBatchV1,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel } from '../model/trainable-model';

export type TinyBatch = ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', 'nextToken'>;
export interface TinyOutputs {
  logits: tf.Tensor;
}
export type TinyObjective = LossObjectiveV1<Int32Array, TinyBatch, TinyOutputs, 'nextToken'>;

/** Pads examples of different lengths to the longest, labels −100 on padding; pad id 0. */
export function makeTinyBatch(examples: readonly Int32Array[], length?: number): TinyBatch {
  const size = examples.length;
  const sequence = length ?? Math.max(...examples.map((example) => example.length));
  const inputIds = new Int32Array(size * sequence);
  const labels = new Int32Array(size * sequence).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(size * sequence);
  let counted = 0;
  examples.forEach((example, row) => {
    inputIds.set(example, row * sequence);
    labels.set(example, row * sequence);
    attentionMask.fill(1, row * sequence, row * sequence + example.length);
    counted += Math.max(0, example.length - 1); // shifted: the first token is never a target
  });
  return {
    size,
    dimensions: { batch: size, sequence },
    fields: {
      inputIds: { dtype: 'int32', shape: [size, sequence], data: inputIds },
      labels: { dtype: 'int32', shape: [size, sequence], data: labels },
      attentionMask: { dtype: 'bool', shape: [size, sequence], data: attentionMask },
    },
    counts: { nextToken: counted },
  };
}

export function createTinyObjective(): TinyObjective {
  return defineObjective({
    objectiveId: 'test/next-token',
    description: 'Next-token prediction for the trainer tests.',
    partNames: ['nextToken'] as const,
    batchFields: {
      inputIds: { dtype: 'int32', dimensions: ['batch', 'sequence'], description: 'token ids' },
      labels: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: 'the ids, −100 on padding',
      },
      attentionMask: {
        dtype: 'bool',
        dimensions: ['batch', 'sequence'],
        description: '1 on real tokens',
      },
    },
    createBatch: (examples: readonly Int32Array[]) => makeTinyBatch(examples),
    computeLoss: ({ outputs, batch, numItemsInBatch }) => {
      const labels = batch.fields.labels.data as Int32Array;
      const part = tokenCrossEntropy({ logits: outputs.logits }, labels, {
        shift: true,
        ...(numItemsInBatch ? { numItemsInBatch: numItemsInBatch['nextToken'] } : {}),
      });
      const accuracy = tokenAccuracy(outputs.logits, labels, { shift: true });
      accuracy.correct.dispose();
      accuracy.count.dispose();
      return {
        loss: part.loss,
        parts: { nextToken: part },
        metrics: { accuracy: accuracy.accuracy },
      };
    },
  });
}

export interface TinyModel extends TrainableModel<TinyOutputs, TinyBatch> {
  readonly variables: tf.Variable[];
  dispose(): void;
}

export interface TinyModelOptions {
  vocabularySize?: number;
  embeddingSize?: number;
  hiddenSize?: number;
  seed?: number;
}

function normalVariable(
  random: ReturnType<typeof createRng>,
  shape: number[],
  std: number,
): tf.Variable {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tf.tidy(() =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: size }, () => random.normal(0, std)),
        shape,
      ),
    ),
  );
}

/** Embedding → tanh layer → vocabulary scores, at every position (a bigram model). */
export function createTinyModel(options: TinyModelOptions = {}): TinyModel {
  const { vocabularySize = 11, embeddingSize = 4, hiddenSize = 6, seed = 7 } = options;
  const random = createRng(seed);
  const table = normalVariable(random, [vocabularySize, embeddingSize], 0.5);
  const hiddenKernel = normalVariable(random, [embeddingSize, hiddenSize], 0.5);
  const hiddenBias = normalVariable(random, [hiddenSize], 0.1);
  const outputKernel = normalVariable(random, [hiddenSize, vocabularySize], 0.5);
  const outputBias = normalVariable(random, [vocabularySize], 0.1);
  const variables = [table, hiddenKernel, hiddenBias, outputKernel, outputBias];
  return {
    variables,
    embeddings: [table],
    inputFields: ['inputIds'],
    apply: ({ tensors }) => {
      const embedded = embeddingLookup(table, tensors['inputIds']!);
      const hidden = tf.tanh(linear(embedded, hiddenKernel, hiddenBias));
      return { logits: linear(hidden, outputKernel, outputBias) };
    },
    dispose: () => tf.dispose(variables),
  };
}

/** Seeded random examples of the given lengths over ids [1, vocabularySize). */
export function randomExamples(
  lengths: readonly number[],
  seed: number,
  vocabularySize = 11,
): Int32Array[] {
  const random = createRng(seed);
  return lengths.map((length) =>
    Int32Array.from({ length }, () => random.int(1, vocabularySize - 1)),
  );
}

/** A repeating pattern the tiny model can learn: each id determines the next. */
export function patternExamples(
  count: number,
  length: number,
  offset: number,
  vocabularySize = 11,
): Int32Array[] {
  return Array.from({ length: count }, (_, row) =>
    Int32Array.from(
      { length },
      (_, index) => 1 + ((offset + row + index * 3) % (vocabularySize - 1)),
    ),
  );
}
