// Runs in the browser (bundled by esbuild for the e2e test). The tiny run, its checkpoint in the
// real IndexedDB, and a Web Worker that is stopped by a message while it trains.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  createLearningRateSchedule,
  createTrainer,
  loadCheckpointFromIndexedDb,
  saveCheckpointToIndexedDb,
  type WindowContext,
} from '../src/index';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
  type TinyBatch,
} from '../src/test-support/trainer-fixtures';

export const TOTAL_STEPS = 20;
export const STOP_AT = 9;

function nextWindow({ random }: WindowContext<Int32Array, TinyBatch>): TinyBatch[] {
  return Array.from({ length: random.int(1, 2) }, () =>
    makeTinyBatch(patternExamples(random.int(1, 2), random.int(3, 8), random.int(0, 9))),
  );
}

/** A trainer over a fresh tiny model; different seeds give different weights and batches. */
export function buildTrainer(modelSeed: number, trainerSeed: number) {
  const model = createTinyModel({ seed: modelSeed });
  const trainer = createTrainer({
    objective: createTinyObjective(),
    model,
    seed: trainerSeed,
    learningRate: createLearningRateSchedule({
      peak: 0.05,
      warmupSteps: 4,
      totalSteps: TOTAL_STEPS,
    }),
    maxGradientNorm: 0.5,
  });
  return {
    trainer,
    dispose() {
      trainer.dispose();
      model.dispose();
    },
  };
}

export async function trainLosses(
  trainer: ReturnType<typeof buildTrainer>['trainer'],
  totalSteps: number,
  signal?: AbortSignal,
): Promise<number[]> {
  const losses: number[] = [];
  await trainer.train({
    totalSteps,
    nextWindow,
    yieldIntervalMs: 0,
    onProgress: (progress) => {
      losses.push(progress.loss);
    },
    ...(signal ? { signal } : {}),
  });
  return losses;
}

export async function setUpBackend(): Promise<void> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
}

export { loadCheckpointFromIndexedDb, saveCheckpointToIndexedDb };
