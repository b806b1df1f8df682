import {
  createRng,
  crossEntropy,
  embeddingLookup,
  linear,
  type RandomSource,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** Sizes of the tiny causal window model. */
export interface TinyModelConfig {
  vocabularySize: number;
  /** How many previous characters (including the current one) each position sees. */
  window: number;
  embeddingSize: number;
  hiddenSize: number;
  seed: number;
}

/**
 * A tiny causal language model in the style of a neural probabilistic language model: position
 * $t$ concatenates the embeddings of tokens $t-w+1 \ldots t$, passes them through one tanh layer,
 * and scores the vocabulary for token $t+1$. Built only from lm-objectives' wasm-safe primitives.
 */
export interface TinyModel {
  readonly weights: tf.Variable[];
  /** Logits `[B, L, V]` for ids `[B, L]`. */
  logits(ids: tf.Tensor2D): tf.Tensor3D;
  /** Mean next-token cross-entropy of a batch of ids `[B, L]` (labels are the ids, shifted inside the loss). */
  loss(ids: Int32Array, batchSize: number, length: number): tf.Scalar;
  dispose(): void;
}

function normalVariable(random: RandomSource, shape: number[], std: number): tf.Variable {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const initial = tf.tensor(
    Float32Array.from({ length: size }, () => random.normal(0, std)),
    shape,
  );
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/** Creates a {@link TinyModel} with seeded initial weights. */
export function createTinyModel(config: TinyModelConfig): TinyModel {
  const random = createRng(config.seed);
  const { vocabularySize, window, embeddingSize, hiddenSize } = config;
  const table = normalVariable(random, [vocabularySize, embeddingSize], 0.3);
  const hiddenKernel = normalVariable(
    random,
    [window * embeddingSize, hiddenSize],
    1 / Math.sqrt(window * embeddingSize),
  );
  const hiddenBias = normalVariable(random, [hiddenSize], 0);
  const outputKernel = normalVariable(
    random,
    [hiddenSize, vocabularySize],
    1 / Math.sqrt(hiddenSize),
  );
  const outputBias = normalVariable(random, [vocabularySize], 0);
  const weights = [table, hiddenKernel, hiddenBias, outputKernel, outputBias];

  const logits = (ids: tf.Tensor2D): tf.Tensor3D =>
    tf.tidy(() => {
      const [batchSize, length] = ids.shape;
      const embedded = embeddingLookup(table, ids) as tf.Tensor3D;
      // Token t sees tokens t-w+1..t: shift the embeddings right by 0..w-1 places, zero-padding the start.
      const views = Array.from({ length: window }, (_, offset) =>
        offset === 0
          ? embedded
          : tf.slice(
              tf.pad(embedded, [
                [0, 0],
                [offset, 0],
                [0, 0],
              ]),
              [0, 0, 0],
              [batchSize, length, embeddingSize],
            ),
      );
      const context = tf.concat(views, 2);
      const hidden = tf.tanh(linear(context, hiddenKernel, hiddenBias));
      return linear(hidden, outputKernel, outputBias) as tf.Tensor3D;
    });

  return {
    weights,
    logits,
    loss: (ids, batchSize, length) =>
      tf.tidy(() => {
        const idsTensor = tf.tensor2d(ids, [batchSize, length], 'int32');
        return crossEntropy(logits(idsTensor), ids, { shift: true }).loss;
      }),
    dispose: () => tf.dispose(weights),
  };
}

/** Greedy continuation of `prompt` by `count` tokens. */
export function generateGreedy(model: TinyModel, prompt: Int32Array, count: number): Int32Array {
  const ids = Array.from(prompt);
  for (let step = 0; step < count; step++) {
    const next = tf.tidy(() => {
      const scores = model.logits(tf.tensor2d(ids, [1, ids.length], 'int32'));
      const last = tf.slice(scores, [0, ids.length - 1, 0], [1, 1, scores.shape[2]]);
      return tf.argMax(tf.reshape(last, [scores.shape[2]])).dataSync()[0]!;
    });
    ids.push(next);
  }
  return Int32Array.from(ids);
}

/** Random training windows of `length` tokens from `corpus`, drawn from `random`. */
export function sampleWindows(
  corpus: Int32Array,
  batchSize: number,
  length: number,
  random: RandomSource,
): Int32Array {
  const batch = new Int32Array(batchSize * length);
  for (let row = 0; row < batchSize; row++) {
    const start = random.int(0, corpus.length - length);
    batch.set(corpus.subarray(start, start + length), row * length);
  }
  return batch;
}
