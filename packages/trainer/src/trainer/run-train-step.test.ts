import type { LogitScores } from '@lm-objectives/core';
import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BackendProbeError } from '../errors/backend-probe-error';
import { NonFiniteStepError } from '../errors/non-finite-step-error';
import { TensorLeakError } from '../errors/tensor-leak-error';
import type { TrainableModel } from '../model/trainable-model';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
  type TinyBatch,
  type TinyModel,
} from '../test-support/trainer-fixtures';
import { snapshotTrainer } from '../test-support/trainer-snapshot';
import { createTrainer } from './create-trainer';

const firstWindow = () => [makeTinyBatch(randomExamples([5, 7], 3))];
const secondWindow = () => [
  makeTinyBatch(randomExamples([6, 4], 4)),
  makeTinyBatch(randomExamples([3], 5)),
];

/** A model that misbehaves while `faulty.on` is set: it keeps a tensor, or returns NaN logits. */
function faultyModel(model: TinyModel, fault: 'leak' | 'nan') {
  const kept: tf.Tensor[] = [];
  const faulty = { on: false, kept };
  const wrapped: TrainableModel<LogitScores, TinyBatch> = {
    variables: model.variables,
    embeddings: model.embeddings!,
    inputFields: model.inputFields!,
    apply: (inputs) => {
      const outputs = model.apply(inputs);
      if (!faulty.on) return outputs;
      if (fault === 'leak') {
        kept.push(tf.keep(tf.ones([4])));
        return outputs;
      }
      return { logits: tf.mul(outputs.logits, Number.NaN) };
    },
  };
  return { faulty, model: wrapped };
}

/** Two clean steps (first window, then second) from seed 7: the reference weights. */
async function twoCleanSteps() {
  const model = createTinyModel();
  const trainer = createTrainer({ objective: createTinyObjective(), model, learningRate: 0.1 });
  trainer.trainStep(firstWindow());
  trainer.trainStep(secondWindow());
  const snapshot = await snapshotTrainer(trainer);
  trainer.dispose();
  model.dispose();
  return snapshot;
}

describeEachBackend('trainStep guards', () => {
  for (const fault of ['leak', 'nan'] as const) {
    it(`a step refused by the ${fault === 'leak' ? 'leak' : 'non-finite'} guard changes nothing, and a retry trains exactly once`, async () => {
      const reference = await twoCleanSteps();
      const base = createTinyModel();
      const { faulty, model } = faultyModel(base, fault);
      const trainer = createTrainer({ objective: createTinyObjective(), model, learningRate: 0.1 });
      trainer.trainStep(firstWindow()); // moments and counts are non-zero from here on
      const before = await snapshotTrainer(trainer);
      faulty.on = true;
      let caught: unknown;
      try {
        trainer.trainStep(secondWindow());
      } catch (error) {
        caught = error;
      }
      if (fault === 'leak') {
        expect(TensorLeakError.isInstance(caught)).toBe(true);
        expect((caught as TensorLeakError).phase).toBe('model-or-objective');
        expect((caught as TensorLeakError).growth).toBe(2); // one per micro-batch
        expect((caught as TensorLeakError).step).toBe(2);
      } else {
        expect(NonFiniteStepError.isInstance(caught)).toBe(true);
        expect((caught as NonFiniteStepError).step).toBe(2);
      }
      expect(await snapshotTrainer(trainer)).toEqual(before);
      faulty.on = false;
      expect(trainer.trainStep(secondWindow()).step).toBe(2);
      expect(await snapshotTrainer(trainer)).toEqual(reference);
      tf.dispose(faulty.kept);
      trainer.dispose();
      base.dispose();
    });
  }

  it('refuses a window that scores nothing with a typed error saying so, before any backend work', () => {
    const model = createTinyModel();
    const trainer = createTrainer({ objective: createTinyObjective(), model });
    // One-token rows have no next token to predict.
    const empty = [makeTinyBatch([Int32Array.from([4]), Int32Array.from([7])])];
    expectInvalidArgument(() => trainer.trainStep(empty), 'trainStep', 'window', [
      'a window with at least one scored token',
      '1 micro-batch that score nothing (nextToken: 0)',
    ]);
    expectInvalidArgument(() => trainer.evaluate(empty), 'evaluate', 'window', ['score nothing']);
    expect(trainer.step).toBe(0);
    trainer.dispose();
    model.dispose();
  });

  it('train() skips a window that scores nothing with a warning, instead of a BackendProbeError', async () => {
    const model = createTinyModel();
    const warnings: string[] = [];
    const trainer = createTrainer({
      objective: createTinyObjective(),
      model,
      onWarning: (message) => warnings.push(message),
    });
    let calls = 0;
    const summary = await trainer.train({
      totalSteps: 2,
      nextWindow: ({ createBatch }) =>
        calls++ === 0 ? [createBatch([Int32Array.from([4])])] : firstWindow(),
    });
    expect(summary).toMatchObject({ step: 2, stepsRun: 2 });
    expect(calls).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/train: argument 'window' is invalid.*score nothing.*Skipped\.$/);
    trainer.dispose();
    model.dispose();
  });

  it('train() gives up after 100 windows in a row that score nothing, naming the data pipeline', async () => {
    const model = createTinyModel();
    const trainer = createTrainer({ objective: createTinyObjective(), model, onWarning: () => {} });
    const run = trainer.train({
      totalSteps: 1,
      nextWindow: ({ createBatch }) => [createBatch([Int32Array.from([4])])],
    });
    await expect(run).rejects.toThrow(/100 windows in a row that score nothing/);
    await run.catch((error: unknown) => expect(BackendProbeError.isInstance(error)).toBe(false));
    trainer.dispose();
    model.dispose();
  });

  it('a failed train() step puts the random source back, so training again draws the same window', async () => {
    const model = createTinyModel();
    const trainer = createTrainer({ objective: createTinyObjective(), model, seed: 5 });
    const seen: number[][] = [];
    let fail = true;
    const nextWindow = ({ random }: { random: { int(min: number, max: number): number } }) => {
      const lengths = [random.int(3, 9), random.int(3, 9)];
      seen.push(lengths);
      if (trainer.step === 1 && fail) {
        fail = false;
        throw new Error('the data server hiccuped');
      }
      return [makeTinyBatch(randomExamples(lengths, 1))];
    };
    await expect(trainer.train({ totalSteps: 3, nextWindow })).rejects.toThrow('hiccuped');
    expect(trainer.step).toBe(1);
    await trainer.train({ totalSteps: 3, nextWindow });
    expect(seen[2]).toEqual(seen[1]); // the retried draw is the failed one
    trainer.dispose();
    model.dispose();
  });

  it('refuses a schedule that returns NaN for a step, before anything is applied', () => {
    const model = createTinyModel();
    const trainer = createTrainer({
      objective: createTinyObjective(),
      model,
      learningRate: (step) => (step < 1 ? 0.01 : Number.NaN),
    });
    trainer.trainStep(firstWindow());
    expectInvalidArgument(
      () => trainer.trainStep(firstWindow()),
      'trainStep',
      'options.learningRate',
      ['a schedule returning a finite rate ≥ 0 (for step 1)'],
    );
    expect(trainer.step).toBe(1);
    trainer.dispose();
    model.dispose();
  });
});
