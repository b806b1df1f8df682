// The trainer end to end: a few steps of `createTrainer` (accumulation over micro-batches,
// clipping, AdamW, the leak guard) with the asynchronous read-back every backend supports.
import * as tf from '@tensorflow/tfjs-core';
import { type AgreementCase, gradientName } from '../agreement-case';
import { createConditionalFixture } from '../conditional-fixture';

/**
 * Four trainer steps of the conditional fixture (windows of one and two micro-batches). The
 * losses, the gradient norms and every weight afterwards are compared.
 */
const TRAINER_CASE: AgreementCase = {
  name: 'createTrainer: four steps (accumulation, clipping at 0.5, AdamW) with trainStepAsync',
  // The attention key biases get an exactly zero gradient (softmax ignores a constant added to
  // every key's score), so each backend's rounding noise is all AdamW sees: $g / \sqrt{v}$ turns it
  // into updates of up to ±lr whose signs differ between backends (measured: 7e-6 absolute, 2e-3
  // of the case's scale). Losses, norms and every other weight agree to 2e-5.
  tolerance: 5e-3,
  run: async () => {
    const fixture = createConditionalFixture();
    const { trainer } = fixture;
    const losses: number[] = [];
    const norms: number[] = [];
    for (let step = 0; step < 4; step++) {
      const result = await trainer.trainStepAsync(fixture.window(step, trainer.random));
      losses.push(result.loss);
      norms.push(result.gradientNorm);
    }
    const outputs: Record<string, tf.Tensor> = {
      losses: tf.tensor1d(losses),
      gradientNorms: tf.tensor1d(norms),
    };
    fixture.model.variables.forEach((variable, index) => {
      outputs[gradientName(variable, index).replace(/^d /, 'weight ')] = tf.clone(variable);
    });
    return { outputs, dispose: () => fixture.dispose() };
  },
};

/** Every trainer case. */
export const TRAINER_CASES: readonly AgreementCase[] = [TRAINER_CASE];
