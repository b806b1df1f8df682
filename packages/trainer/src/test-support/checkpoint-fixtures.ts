// Test support (not exported): a real checkpoint (three steps of the tiny run) and the edits the
// corruption tests make to its manifest.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint';
import { createTrainer } from '../trainer/create-trainer';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
} from './trainer-fixtures';

/** The trainer options every checkpoint fixture uses (and a trainer loading it must share). */
export const FIXTURE_TRAINER_OPTIONS = { maxGradientNorm: 0.5, optimizer: { weightDecay: 0.1 } };

/** A checkpoint after three steps of the tiny run, on the cpu backend. */
export async function threeStepCheckpoint(): Promise<TrainingCheckpoint> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  const model = createTinyModel();
  const trainer = createTrainer({
    objective: createTinyObjective(),
    model,
    seed: 3,
    ...FIXTURE_TRAINER_OPTIONS,
  });
  for (let step = 0; step < 3; step++) {
    trainer.trainStep([makeTinyBatch(patternExamples(2, 5 + step, step))]);
  }
  const checkpoint = await trainer.saveCheckpoint({ epoch: 1 });
  // Copies: the arrays of the cpu backend are the tensors' own storage.
  const copy = {
    manifest: checkpoint.manifest,
    arrays: checkpoint.arrays.map((array) => array.slice()),
  };
  trainer.dispose();
  model.dispose();
  if (previous) await tf.setBackend(previous);
  return copy;
}

/** A manifest as JSON, loosely typed so that tests can put any value anywhere. */
export interface LooseManifest {
  [field: string]: unknown;
  tensors: { dtype: unknown; shape: unknown; group: unknown }[];
  optimizer: { [field: string]: unknown; steps: unknown[] };
  randomState?: unknown[];
}

/**
 * Edits of a checkpoint manifest that must each be refused: [what, the edit, the refusal's
 * message (the field it names)]. They cover every field: dtype, shape, layout, step, random state,
 * optimizer kind, hyper-parameters and update counts, clipping threshold, format, version, id,
 * metadata, and unknown and missing fields.
 */
export const MANIFEST_EDITS: readonly (readonly [string, (m: LooseManifest) => void, RegExp])[] = [
  [
    "a weight's dtype changed to int32",
    (m) => {
      m.tensors[0]!.dtype = 'int32';
    },
    /model 0 int32|checkpoint\.arrays\[0\]/,
  ],
  [
    'a dtype that does not exist',
    (m) => {
      m.tensors[0]!.dtype = 'float64';
    },
    /manifest\.tensors\[0\]\.dtype/,
  ],
  [
    "a moment's shape changed",
    (m) => {
      m.tensors[5]!.shape = [6, 7];
    },
    /manifest\.tensors\[5\]/,
  ],
  [
    'a negative size',
    (m) => {
      m.tensors[1]!.shape = [-6, 6];
    },
    /manifest\.tensors\[1\]\.shape\[0\]/,
  ],
  [
    'a weight relabelled as a moment',
    (m) => {
      m.tensors[0]!.group = 'first-moment';
    },
    /manifest\.tensors\[0\]/,
  ],
  [
    'a group that does not exist',
    (m) => {
      m.tensors[2]!.group = 'bias';
    },
    /manifest\.tensors\[2\]\.group/,
  ],
  [
    'step −5',
    (m) => {
      m.step = -5;
    },
    /manifest\.step/,
  ],
  [
    'step 2.5',
    (m) => {
      m.step = 2.5;
    },
    /manifest\.step/,
  ],
  [
    'step as a string',
    (m) => {
      m.step = '3';
    },
    /manifest\.step/,
  ],
  [
    'step lowered below the update counts',
    (m) => {
      m.step = 1;
    },
    /manifest\.optimizer\.steps\[0\]/,
  ],
  [
    'a negative update count',
    (m) => {
      m.optimizer.steps[1] = -1;
    },
    /manifest\.optimizer\.steps\[1\]/,
  ],
  [
    'one update count too few',
    (m) => {
      m.optimizer.steps.pop();
    },
    /manifest\.tensors/,
  ],
  [
    'β1 = 5',
    (m) => {
      m.optimizer.beta1 = 5;
    },
    /manifest\.optimizer\.beta1/,
  ],
  [
    'β2 = 1',
    (m) => {
      m.optimizer.beta2 = 1;
    },
    /manifest\.optimizer\.beta2/,
  ],
  [
    'ε = null (NaN in JSON)',
    (m) => {
      m.optimizer.epsilon = null;
    },
    /manifest\.optimizer\.epsilon/,
  ],
  [
    'a negative weight decay',
    (m) => {
      m.optimizer.weightDecay = -0.1;
    },
    /manifest\.optimizer\.weightDecay/,
  ],
  [
    'another optimizer kind',
    (m) => {
      m.optimizer.kind = 'sgd';
    },
    /manifest\.optimizer\.kind/,
  ],
  [
    'an unknown optimizer field',
    (m) => {
      m.optimizer.momentum = 0.9;
    },
    /manifest\.optimizer\.momentum/,
  ],
  [
    "β1 = 0.8, valid but not this run's",
    (m) => {
      m.optimizer.beta1 = 0.8;
    },
    /manifest\.optimizer\.beta1/,
  ],
  [
    "weight decay 0.2, valid but not this run's",
    (m) => {
      m.optimizer.weightDecay = 0.2;
    },
    /manifest\.optimizer\.weightDecay/,
  ],
  [
    'maxGradientNorm = 0',
    (m) => {
      m.maxGradientNorm = 0;
    },
    /manifest\.maxGradientNorm/,
  ],
  [
    'maxGradientNorm = −1',
    (m) => {
      m.maxGradientNorm = -1;
    },
    /manifest\.maxGradientNorm/,
  ],
  [
    'clipping switched off (null)',
    (m) => {
      m.maxGradientNorm = null;
    },
    /manifest\.maxGradientNorm/,
  ],
  [
    'an all-zero random state',
    (m) => {
      m.randomState = [0, 0, 0, 0];
    },
    /manifest\.randomState/,
  ],
  [
    'a random state of three words',
    (m) => {
      m.randomState?.pop();
    },
    /manifest\.randomState/,
  ],
  [
    'a random word ≥ 2^32',
    (m) => {
      m.randomState![0] = 2 ** 32;
    },
    /manifest\.randomState/,
  ],
  [
    'another format',
    (m) => {
      m.format = 'tfjs-weights';
    },
    /manifest\.format/,
  ],
  [
    'a newer version',
    (m) => {
      m.version = 2;
    },
    /manifest\.version/,
  ],
  [
    'an empty objective id',
    (m) => {
      m.objectiveId = '';
    },
    /manifest\.objectiveId/,
  ],
  [
    'metadata that is not an object',
    (m) => {
      m.metadata = 'epoch 1';
    },
    /manifest\.metadata/,
  ],
  [
    'an unknown field',
    (m) => {
      m.learningRate = 0.1;
    },
    /manifest\.learningRate/,
  ],
  [
    'a missing field',
    (m) => {
      delete m.randomState;
    },
    /manifest\.randomState/,
  ],
];

/** A distinct, valid checkpoint derived from `checkpoint`: metadata `{ epoch: k }` and shifted first weights. */
export function checkpointVariant(checkpoint: TrainingCheckpoint, k: number): TrainingCheckpoint {
  const arrays = checkpoint.arrays.map((array) => array.slice());
  const first = arrays[0] as Float32Array;
  for (let index = 0; index < first.length; index++) first[index] = first[index]! + k / 1024;
  return { manifest: { ...checkpoint.manifest, metadata: { epoch: k } }, arrays };
}
