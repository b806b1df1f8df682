import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { NonFiniteStepError } from '../errors/non-finite-step-error';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
} from '../test-support/trainer-fixtures';
import { snapshotTrainer } from '../test-support/trainer-snapshot';
import { createTrainer } from './create-trainer';
import { runWithAsynchronousRead, runWithSynchronousRead } from './read-back';

const windows = () => [
  [makeTinyBatch(randomExamples([5, 7], 3))],
  [makeTinyBatch(randomExamples([6, 4], 4)), makeTinyBatch(randomExamples([3], 5))],
  [makeTinyBatch(randomExamples([8], 6))],
];

/** Three steps on a fresh tiny model, each step run by `step`; the results and the final state. */
async function threeSteps(
  step: (trainer: ReturnType<typeof createTrainer>, window: never[]) => Promise<unknown> | unknown,
) {
  const model = createTinyModel();
  const trainer = createTrainer({ objective: createTinyObjective(), model, learningRate: 0.1 });
  const results: unknown[] = [];
  for (const window of windows()) results.push(await step(trainer as never, window as never[]));
  const evaluation = trainer.evaluate(windows()[0]!);
  const evaluationAsync = await trainer.evaluateAsync(windows()[0]!);
  const snapshot = await snapshotTrainer(trainer);
  trainer.dispose();
  model.dispose();
  return { results, evaluation, evaluationAsync, snapshot };
}

describeEachBackend('trainStepAsync and evaluateAsync', () => {
  it('give exactly the results, weights and moments of trainStep and evaluate', async () => {
    const synchronous = await threeSteps((trainer, window) => trainer.trainStep(window));
    const asynchronous = await threeSteps((trainer, window) => trainer.trainStepAsync(window));
    expect(asynchronous.results).toEqual(synchronous.results);
    expect(asynchronous.snapshot).toEqual(synchronous.snapshot);
    expect(synchronous.evaluationAsync).toEqual(synchronous.evaluation);
    expect((synchronous.results[0] as { loss: number }).loss).toBeGreaterThan(0);
  });

  it('refuse a non-finite step before the update, as trainStep does', async () => {
    const model = createTinyModel();
    const trainer = createTrainer({ objective: createTinyObjective(), model, learningRate: 0.1 });
    const before = await snapshotTrainer(trainer);
    const poisoned = model.variables[0]!;
    const saved = tf.clone(poisoned);
    tf.tidy(() => poisoned.assign(tf.mul(saved, Number.NaN)));
    await expect(trainer.trainStepAsync(windows()[0]!)).rejects.toBeInstanceOf(NonFiniteStepError);
    poisoned.assign(saved);
    saved.dispose();
    expect(trainer.step).toBe(0);
    expect(await snapshotTrainer(trainer)).toEqual(before);
    trainer.dispose();
    model.dispose();
  });
});

describeEachBackend('read-back phases', () => {
  function* doubled(): Generator<tf.Tensor, number[], ArrayLike<number>> {
    const values = tf.tensor1d([1, 2, 3]);
    try {
      const read = yield values;
      return Array.from(read, (value) => 2 * value);
    } finally {
      values.dispose();
    }
  }

  it('hand the yielded tensor’s values back, synchronously or not, and free it', async () => {
    expect(runWithSynchronousRead(doubled())).toEqual([2, 4, 6]);
    expect(await runWithAsynchronousRead(doubled())).toEqual([2, 4, 6]);
  });

  it('throw a failed read into the computation, whose finally blocks still run', async () => {
    const unreadable = (): Generator<tf.Tensor, number, ArrayLike<number>> => {
      const values = tf.tensor1d([1]);
      values.dispose();
      return (function* () {
        yield values;
        return 0;
      })();
    };
    expect(() => runWithSynchronousRead(unreadable())).toThrow(/disposed/);
    await expect(runWithAsynchronousRead(unreadable())).rejects.toThrow(/disposed/);
  });
});
