// A tiny causal Transformer (one block, two heads) written by hand for the end-to-end test: every
// product goes through a `linear(name, x)` callback, which is how LoRA adapters are slotted in.
import { linear as coreLinear, embeddingLookup, type RandomSource } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionalLmBatch } from '../src/conditional-lm/conditional-lm-batch';
import type { LinearWeights } from '../src/index';
import { packedCausalAttentionBias } from '../src/index';

export interface TinyCausalModel {
  readonly tokenEmbedding: tf.Variable;
  readonly positionEmbedding: tf.Variable;
  readonly linears: Record<string, LinearWeights>;
  readonly variables: tf.Variable[];
  /** Final hidden states [B, L, H]; the output projection is the tied token embedding. */
  hiddenStates(batch: ConditionalLmBatch, linear: LinearFunction): tf.Tensor3D;
  dispose(): void;
}

export type LinearFunction = (name: string, x: tf.Tensor) => tf.Tensor;

function normal(random: RandomSource, shape: number[], std: number): tf.Variable {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = random.normal(0, std);
  return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32')));
}

function rmsNorm(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-5)));
}

export function createTinyCausalModel(
  random: RandomSource,
  sizes: { vocabulary: number; hidden: number; heads: number; maxLength: number },
): TinyCausalModel {
  const { vocabulary, hidden, heads, maxLength } = sizes;
  const headSize = hidden / heads;
  const tokenEmbedding = normal(random, [vocabulary, hidden], 0.5);
  const positionEmbedding = normal(random, [maxLength, hidden], 0.5);
  const linears: Record<string, LinearWeights> = {};
  for (const [name, inputs, outputs] of [
    ['block0/attention/query', hidden, hidden],
    ['block0/attention/key', hidden, hidden],
    ['block0/attention/value', hidden, hidden],
    ['block0/attention/output', hidden, hidden],
    ['block0/mlp/up', hidden, 2 * hidden],
    ['block0/mlp/down', 2 * hidden, hidden],
  ] as const) {
    linears[name] = {
      kernel: normal(random, [inputs, outputs], 1 / Math.sqrt(inputs)),
      bias: tf.tidy(() => tf.variable(tf.zeros([outputs]))),
    };
  }
  const variables = [
    tokenEmbedding,
    positionEmbedding,
    ...Object.values(linears).flatMap(({ kernel, bias }) => [kernel, bias!]),
  ];
  return {
    tokenEmbedding,
    positionEmbedding,
    linears,
    variables,
    hiddenStates(batch, linear) {
      const [batchSize, length] = batch.fields.inputIds.shape as [number, number];
      return tf.tidy(() => {
        const ids = tf.tensor2d(batch.fields.inputIds.data, [batchSize, length], 'int32');
        const positions = tf.tensor2d(batch.fields.positionIds.data, [batchSize, length], 'int32');
        let h = tf.add(
          embeddingLookup(tokenEmbedding, ids),
          embeddingLookup(positionEmbedding, positions),
        );
        const bias = packedCausalAttentionBias(batch.fields.exampleIds);
        const split = (x: tf.Tensor) =>
          tf.transpose(tf.reshape(x, [batchSize, length, heads, headSize]), [0, 2, 1, 3]);
        const normed = rmsNorm(h);
        const q = split(linear('block0/attention/query', normed));
        const k = split(linear('block0/attention/key', normed));
        const v = split(linear('block0/attention/value', normed));
        const scores = tf.add(
          tf.div(tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), Math.sqrt(headSize)),
          bias,
        );
        const attended = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [
          batchSize,
          length,
          hidden,
        ]);
        h = tf.add(h, linear('block0/attention/output', attended));
        h = tf.add(h, linear('block0/mlp/down', tf.relu(linear('block0/mlp/up', rmsNorm(h)))));
        return rmsNorm(h) as tf.Tensor3D;
      });
    },
    dispose() {
      tf.dispose(variables);
    },
  };
}

/** The plain (un-adapted) linear of a model: core's wasm-fast `linear`. */
export function baseLinear(model: TinyCausalModel): LinearFunction {
  return (name, x) => coreLinear(x, model.linears[name]!.kernel, model.linears[name]!.bias);
}
