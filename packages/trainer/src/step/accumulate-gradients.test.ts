import { describeEachBackend, expectRelativelyClose, maxAbs } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
} from '../test-support/trainer-fixtures';
import { accumulateGradients } from './accumulate-gradients';
import { windowCounts } from './window-counts';

/** Three micro-batches of different lengths and sizes, and the same six examples as one batch. */
function microBatchesAndBigBatch() {
  const examples = randomExamples([5, 3, 9, 2, 7, 4], 123);
  const window = [
    makeTinyBatch(examples.slice(0, 2)), // length 5, counts 4 + 2
    makeTinyBatch(examples.slice(2, 5)), // length 9, counts 8 + 1 + 6
    makeTinyBatch(examples.slice(5, 6)), // length 4, counts 3
  ];
  const big = makeTinyBatch(examples); // padded to 9
  return { window, big };
}

function read(gradients: (tf.Tensor | null)[]): Float32Array[] {
  return gradients.map((gradient) => gradient!.dataSync() as Float32Array);
}

describeEachBackend('accumulateGradients', () => {
  it('sums the micro-batches counted tokens into the window totals', () => {
    const { window, big } = microBatchesAndBigBatch();
    expect(window.map((batch) => batch.counts.nextToken)).toEqual([6, 15, 3]);
    expect(windowCounts(window, ['nextToken'])).toEqual({ nextToken: 24 });
    expect(big.counts.nextToken).toBe(24);
  });

  it('accumulating micro-batches of different lengths gives the gradient of one batch of all of them (within 1e-5)', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const { window, big } = microBatchesAndBigBatch();
    const accumulated = accumulateGradients({
      objective,
      model,
      window,
      variables: model.variables,
    });
    const single = accumulateGradients({
      objective,
      model,
      window: [big],
      variables: model.variables,
    });
    try {
      const accumulatedValues = read(accumulated.gradients);
      const singleValues = read(single.gradients);
      accumulatedValues.forEach((values, index) => {
        expectRelativelyClose(values, singleValues[index]!, 1e-5, `gradient of variable ${index}`);
      });
      expectRelativelyClose(accumulated.loss.dataSync(), single.loss.dataSync(), 1e-6, 'loss');
      // The window's loss is Σ sum_k / Σ count_k, read from the parts.
      const sum = accumulated.parts.nextToken.sum.dataSync()[0]!;
      const count = accumulated.parts.nextToken.count.dataSync()[0]!;
      expect(count).toBe(24);
      expect(accumulated.loss.dataSync()[0]).toBeCloseTo(sum / count, 5);
      expect(accumulated.counts).toEqual({ nextToken: 24 });
      expect(accumulated.leakedTensors).toBe(0);
    } finally {
      accumulated.dispose();
      single.dispose();
      model.dispose();
    }
  });

  it('the mean of per-micro-batch means gives a different, wrong gradient', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const { window, big } = microBatchesAndBigBatch();
    const single = accumulateGradients({
      objective,
      model,
      window: [big],
      variables: model.variables,
    });
    // The wrong way: each micro-batch normalised by its own count, then averaged over K.
    const perMicroBatch = window.map((batch) =>
      accumulateGradients({ objective, model, window: [batch], variables: model.variables }),
    );
    try {
      const correct = read(single.gradients);
      let worstRelativeDifference = 0;
      correct.forEach((values, index) => {
        const meanOfMeans = tf.tidy(
          () =>
            tf
              .div(tf.addN(perMicroBatch.map((result) => result.gradients[index]!)), window.length)
              .dataSync() as Float32Array,
        );
        let difference = 0;
        for (let entry = 0; entry < values.length; entry++) {
          difference = Math.max(difference, Math.abs(meanOfMeans[entry]! - values[entry]!));
        }
        worstRelativeDifference = Math.max(
          worstRelativeDifference,
          difference / maxAbs(values, 1e-30),
        );
      });
      // Micro-batch counts 6, 15 and 3 weigh each token by 1/(3·count) instead of 1/24: far off.
      expect(worstRelativeDifference).toBeGreaterThan(0.05);
      const losses = perMicroBatch.map((result) => result.loss.dataSync()[0]!);
      const meanOfMeansLoss = (losses[0]! + losses[1]! + losses[2]!) / 3;
      const correctLoss = single.loss.dataSync()[0]!;
      // The correct loss is the token-weighted mean of the micro-batch losses, not their plain mean.
      expect(correctLoss).toBeCloseTo((losses[0]! * 6 + losses[1]! * 15 + losses[2]! * 3) / 24, 5);
      expect(Math.abs(meanOfMeansLoss - correctLoss)).toBeGreaterThan(1e-3);
    } finally {
      single.dispose();
      for (const result of perMicroBatch) result.dispose();
      model.dispose();
    }
  });

  it('reports null for a variable no gradient reaches and frees everything on error', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const unused = tf.tidy(() => tf.variable(tf.zeros([2])));
    const { window } = microBatchesAndBigBatch();
    const result = accumulateGradients({
      objective,
      model,
      window,
      variables: [...model.variables, unused],
    });
    expect(result.gradients.at(-1)).toBeNull();
    result.dispose();
    const broken = {
      ...model,
      apply: (inputs: Parameters<typeof model.apply>[0]) => {
        // Real ops first, so that the tape holds tensors saved for a backward pass that never comes.
        model.apply(inputs);
        throw new Error('model exploded');
      },
    };
    expect(() =>
      accumulateGradients({ objective, model: broken, window, variables: model.variables }),
    ).toThrow('model exploded');
    unused.dispose();
    model.dispose();
  });

  it('refuses an empty window and a batch without counts, naming the argument', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    expect(() =>
      accumulateGradients({ objective, model, window: [], variables: model.variables }),
    ).toThrow(/accumulateGradients: argument 'window' is invalid/);
    const { window } = microBatchesAndBigBatch();
    const uncounted = { ...window[0]!, counts: {} as { nextToken: number } };
    expect(() =>
      accumulateGradients({ objective, model, window: [uncounted], variables: model.variables }),
    ).toThrow(/argument 'window\[0\]\.counts\.nextToken' is invalid/);
    model.dispose();
  });
});
