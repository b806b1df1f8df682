import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { BackendProbeError } from '../errors/backend-probe-error';
import {
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
  type TinyBatch,
} from '../test-support/trainer-fixtures';
import { createTrainer } from '../trainer/create-trainer';
import { fromLayersModel } from './from-layers-model';

/** A tf.layers language model: Embedding → Dense(tanh) → Dense(vocabulary), built for [batch, any length]. */
function layersModel(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.embedding({
        inputDim: 11,
        outputDim: 4,
        inputShape: [null] as unknown as number[],
      }),
      tfl.layers.dense({ units: 8, activation: 'tanh' }),
      tfl.layers.dense({ units: 11 }),
    ],
  });
  return model;
}

const nextWindow = ({
  random,
}: {
  random: { int(min: number, max: number): number };
}): TinyBatch[] => [makeTinyBatch(patternExamples(2, random.int(4, 7), random.int(0, 9)))];

describeEachBackend('fromLayersModel', (backend) => {
  it('adapts a tf.layers model: its weights, embeddings recognised by name, logits as outputs', () => {
    const model = layersModel();
    const trainable = fromLayersModel(model);
    expect(trainable.variables.map((variable) => variable.shape)).toEqual([
      [11, 4],
      [4, 8],
      [8],
      [8, 11],
      [11],
    ]);
    expect(trainable.embeddings).toEqual([trainable.variables[0]]);
    expect(trainable.inputFields).toEqual(['inputIds']);
    const trainer = createTrainer({ objective: createTinyObjective(), model: trainable });
    // Weight decay on the two kernels only: not on the embedding table or the biases.
    expect(trainer.weightDecayMask).toEqual([false, true, false, true, false]);
    trainer.dispose();
    model.dispose();
  });

  if (backend === 'cpu') {
    it('trains a tf.layers model through the trainer', async () => {
      const model = layersModel();
      const trainer = createTrainer({
        objective: createTinyObjective(),
        model: fromLayersModel(model),
        learningRate: 0.05,
      });
      const losses: number[] = [];
      await trainer.train({
        totalSteps: 40,
        nextWindow,
        onProgress: (p) => void losses.push(p.loss),
      });
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
      trainer.dispose();
      model.dispose();
    });
  } else {
    it("is stopped by the probe on wasm, where the Embedding layer's gradient kernel is missing", async () => {
      const model = layersModel();
      const trainer = createTrainer({
        objective: createTinyObjective(),
        model: fromLayersModel(model),
      });
      let error: unknown;
      try {
        await trainer.train({ totalSteps: 3, nextWindow });
      } catch (caught) {
        error = caught;
      }
      expect(BackendProbeError.isInstance(error)).toBe(true);
      expect((error as BackendProbeError).missingKernels).toEqual(['UnsortedSegmentSum']);
      expect(trainer.step).toBe(0);
      trainer.dispose();
      model.dispose();
    });
  }

  it('refuses an unbuilt model and unknown input fields, saying how to fix them', () => {
    const unbuilt = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    const built = fromLayersModel(unbuilt); // a Sequential with inputShape builds at once
    expect(built.variables).toHaveLength(2);
    unbuilt.dispose();
    expect(() => fromLayersModel({ apply: () => null, trainableWeights: [] })).toThrow(
      /fromLayersModel: argument 'model' is invalid.*call model.build/,
    );
    expect(() => fromLayersModel({} as never)).toThrow(/a tf.layers model or layer/);
    const model = layersModel();
    const trainable = fromLayersModel(model, { inputFields: ['tokens'] });
    expect(() =>
      tf.tidy(() => {
        trainable.apply({
          tensors: { inputIds: tf.zeros([1, 2], 'int32') },
          batch: makeTinyBatch([Int32Array.from([1, 2])]),
          training: false,
        });
      }),
    ).toThrow(/argument 'options.inputFields' is invalid.*received "tokens"/);
    model.dispose();
  });
});
