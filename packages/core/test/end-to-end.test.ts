import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createRng, crossEntropy, embeddingLookup, linear } from '../src/index';
import { describeEachBackend } from './backends';

const VOCABULARY = 16;
const HIDDEN = 32;
const LENGTH = 12;
const BATCH = 8;

/** A deterministic language: each token is followed by (3·token + 1) mod V, so the next token is learnable. */
function makeBatch(rng: ReturnType<typeof createRng>): Int32Array {
  const ids = new Int32Array(BATCH * LENGTH);
  for (let row = 0; row < BATCH; row++) {
    let token = rng.int(0, VOCABULARY - 1);
    for (let position = 0; position < LENGTH; position++) {
      ids[row * LENGTH + position] = token;
      token = (3 * token + 1) % VOCABULARY;
    }
  }
  return ids;
}

function seededVariable(
  rng: ReturnType<typeof createRng>,
  shape: number[],
  scale: number,
): tf.Variable {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = Float32Array.from({ length: size }, () => rng.normal(0, scale));
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

describeEachBackend('end to end: a tiny next-token model', () => {
  it('learns a deterministic next-token rule with crossEntropy, embeddingLookup and linear through optimizer.minimize', () => {
    const rng = createRng(7);
    const table = seededVariable(rng, [VOCABULARY, HIDDEN], 0.5);
    const hiddenKernel = seededVariable(rng, [HIDDEN, HIDDEN], 1 / Math.sqrt(HIDDEN));
    const hiddenBias = seededVariable(rng, [HIDDEN], 0);
    const outputKernel = seededVariable(rng, [HIDDEN, VOCABULARY], 1 / Math.sqrt(HIDDEN));
    const weights = [table, hiddenKernel, hiddenBias, outputKernel];
    const optimizer = tf.train.adam(0.05);
    const lossOf = (ids: Int32Array) => {
      const idsTensor = tf.tensor2d(ids, [BATCH, LENGTH], 'int32');
      const hidden = tf.tanh(linear(embeddingLookup(table, idsTensor), hiddenKernel, hiddenBias));
      return crossEntropy(linear(hidden, outputKernel), ids, { shift: true }).loss;
    };
    const losses: number[] = [];
    const steps = 120;
    for (let step = 0; step < steps; step++) {
      const ids = makeBatch(rng);
      const loss = optimizer.minimize(() => tf.tidy(() => lossOf(ids)), true, weights);
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
    }
    // Starts near ln V = 2.77 (uniform guess); the rule is deterministic, so it must be learnt almost exactly.
    expect(losses[0]).toBeGreaterThan(2);
    expect(losses.at(-1)).toBeLessThan(0.05);
    optimizer.dispose();
    tf.dispose(weights);
  });
});
