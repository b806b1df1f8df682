import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLearningRateSchedule } from '../schedule/learning-rate-schedule';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
  randomExamples,
  type TinyBatch,
} from '../test-support/trainer-fixtures';
import { createTrainer } from '../trainer/create-trainer';
import type { WindowContext } from '../trainer/run-training';
import {
  loadCheckpointFromDirectory,
  saveCheckpointToDirectory,
} from './directory-checkpoint-store';
import {
  deleteCheckpointFromIndexedDb,
  loadCheckpointFromIndexedDb,
  saveCheckpointToIndexedDb,
} from './indexeddb-checkpoint-store';
import type { TrainingCheckpoint } from './training-checkpoint';

const TOTAL = 24;
const STOP_AT = 11;

/** A window whose lengths, offsets and example count come from the trainer's random source. */
function nextWindow({ random }: WindowContext<Int32Array, TinyBatch>): TinyBatch[] {
  return Array.from({ length: random.int(1, 3) }, () =>
    makeTinyBatch(patternExamples(random.int(1, 2), random.int(3, 8), random.int(0, 9))),
  );
}

function build(modelSeed: number, trainerSeed: number) {
  const objective = createTinyObjective();
  const model = createTinyModel({ seed: modelSeed });
  const trainer = createTrainer({
    objective,
    model,
    seed: trainerSeed,
    learningRate: createLearningRateSchedule({ peak: 0.05, warmupSteps: 5, totalSteps: TOTAL }),
    optimizer: { weightDecay: 0.1 },
    maxGradientNorm: 0.5, // low enough that clipping is active in this run
  });
  return {
    trainer,
    close: () => {
      trainer.dispose();
      model.dispose();
    },
  };
}

async function run(trainer: ReturnType<typeof build>['trainer'], totalSteps: number) {
  const losses: number[] = [];
  await trainer.train({
    totalSteps,
    nextWindow,
    onProgress: (progress) => {
      losses.push(progress.loss);
    },
  });
  return losses;
}

/** The run without interruption: losses of every step and the final weights. */
async function uninterrupted() {
  const { trainer, close } = build(7, 11);
  const losses = await run(trainer, TOTAL);
  const weights = trainer.variables.map((variable) => Array.from(variable.dataSync()));
  close();
  return { losses, weights };
}

/** Trains to STOP_AT, checkpoints through `store`, and continues in a fresh trainer built from other seeds. */
async function interrupted(store: {
  save(checkpoint: TrainingCheckpoint): Promise<void>;
  load(): Promise<TrainingCheckpoint>;
}) {
  const first = build(7, 11);
  const before = await run(first.trainer, STOP_AT);
  await store.save(await first.trainer.saveCheckpoint({ dataCursor: 'epoch 0' }));
  first.close();
  // Different initial weights and seed: only the checkpoint can make the rest of the run match.
  const second = build(1234, 999);
  const checkpoint = await store.load();
  expect(checkpoint.manifest.metadata).toEqual({ dataCursor: 'epoch 0' });
  second.trainer.loadCheckpoint(checkpoint);
  expect(second.trainer.step).toBe(STOP_AT);
  const after = await run(second.trainer, TOTAL);
  const weights = second.trainer.variables.map((variable) => Array.from(variable.dataSync()));
  second.close();
  return { losses: [...before, ...after], weights };
}

describeEachBackend('checkpoints', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lm-objectives-trainer-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('checkpoint → resume from files reproduces the uninterrupted run exactly (same losses, same weights)', async () => {
    const reference = await uninterrupted();
    const path = join(directory, 'run');
    const resumed = await interrupted({
      save: (checkpoint) => saveCheckpointToDirectory(checkpoint, path, { chunkBytes: 1024 }),
      load: () => loadCheckpointFromDirectory(path),
    });
    expect(resumed.losses).toHaveLength(TOTAL);
    expect(resumed.losses).toEqual(reference.losses); // bit for bit, every step
    expect(resumed.weights).toEqual(reference.weights);
    // current.json names the one version directory, which holds the manifest and the chunks.
    const entries = (await readdir(path)).sort();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe('current.json');
    expect(entries[1]).toMatch(/^v000001-[0-9a-f]{8}-\d+-[0-9a-f]{8}$/);
    expect((await readdir(join(path, entries[1]!))).sort()).toEqual([
      'chunk-00000.bin',
      'chunk-00001.bin',
      'chunk-00002.bin',
      'manifest.json',
    ]);
  });

  it('checkpoint → resume through IndexedDB (fake-indexeddb) reproduces the uninterrupted run exactly', async () => {
    const reference = await uninterrupted();
    const indexedDB = new IDBFactory();
    const resumed = await interrupted({
      save: (checkpoint) =>
        saveCheckpointToIndexedDb(checkpoint, { name: 'tiny', indexedDB, chunkBytes: 1024 }),
      load: () => loadCheckpointFromIndexedDb({ name: 'tiny', indexedDB }),
    });
    expect(resumed.losses).toEqual(reference.losses);
    expect(resumed.weights).toEqual(reference.weights);
  });

  it('without the checkpoint the second trainer would diverge (the test above can fail)', async () => {
    const reference = await uninterrupted();
    const other = build(1234, 999);
    const losses = await run(other.trainer, TOTAL);
    other.close();
    expect(losses).not.toEqual(reference.losses);
  });

  it('stores weights, both AdamW moments, per-variable update counts, step and random state', async () => {
    const { trainer, close } = build(7, 11);
    await run(trainer, 3);
    const checkpoint = await trainer.saveCheckpoint();
    const { manifest } = checkpoint;
    expect(manifest).toMatchObject({
      format: 'lm-objectives/trainer-checkpoint',
      version: 1,
      objectiveId: 'mock/next-token',
      step: 3,
      maxGradientNorm: 0.5,
      optimizer: { kind: 'adamw', steps: [3, 3, 3, 3], beta1: 0.9, weightDecay: 0.1 },
    });
    expect(manifest.randomState).toEqual(trainer.random.getState());
    expect(manifest.tensors.map((entry) => `${entry.group}:${entry.index}`)).toEqual([
      'model:0',
      'model:1',
      'model:2',
      'model:3',
      ...[0, 1, 2, 3].flatMap((index) => [`first-moment:${index}`, `second-moment:${index}`]),
    ]);
    expect(checkpoint.arrays[0]).toEqual(trainer.variables[0]!.dataSync());
    expect(manifest.tensors[1]!.shape).toEqual([6, 6]);
    close();
  });

  it('replaces a saved checkpoint, removing the previous version, and detects a corrupted chunk', async () => {
    const { trainer, close } = build(7, 11);
    const path = join(directory, 'replaced');
    await saveCheckpointToDirectory(await trainer.saveCheckpoint(), path, { chunkBytes: 1024 });
    await run(trainer, 2);
    await saveCheckpointToDirectory(await trainer.saveCheckpoint(), path, { chunkBytes: 1024 });
    close();
    expect((await loadCheckpointFromDirectory(path)).manifest.step).toBe(2);
    const entries = (await readdir(path)).sort();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatch(/^v000002-/);
    const chunk = join(path, entries[1]!, 'chunk-00001.bin');
    const bytes = await readFile(chunk);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(chunk, bytes);
    await expect(loadCheckpointFromDirectory(path)).rejects.toThrow(
      /loadCheckpointFromDirectory: the checkpoint is damaged: .*chunk-00001\.bin: its checksum does not match the manifest/,
    );
    await expect(loadCheckpointFromDirectory(join(directory, 'missing'))).rejects.toThrow(
      /loadCheckpointFromDirectory: argument 'directory' is invalid.*does not exist/,
    );
  });

  it('keeps one generation in IndexedDB, loads the latest, and deletes on request', async () => {
    const indexedDB = new IDBFactory();
    const { trainer, close } = build(7, 11);
    await saveCheckpointToIndexedDb(await trainer.saveCheckpoint(), {
      name: 'a',
      indexedDB,
      chunkBytes: 1024,
    });
    await run(trainer, 1);
    await saveCheckpointToIndexedDb(await trainer.saveCheckpoint(), {
      name: 'a',
      indexedDB,
      chunkBytes: 1024,
    });
    expect((await loadCheckpointFromIndexedDb({ name: 'a', indexedDB })).manifest.step).toBe(1);
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const opening = indexedDB.open('lm-objectives-checkpoints');
      opening.onsuccess = () => {
        const request = opening.result.transaction('chunks').objectStore('chunks').getAllKeys();
        request.onsuccess = () => {
          opening.result.close();
          resolve(request.result);
        };
        request.onerror = () => reject(request.error);
      };
    });
    expect(keys).toEqual([
      ['a', 2, 0],
      ['a', 2, 1],
      ['a', 2, 2],
    ]);
    await deleteCheckpointFromIndexedDb({ name: 'a', indexedDB });
    await expect(loadCheckpointFromIndexedDb({ name: 'a', indexedDB })).rejects.toThrow(
      /argument 'options.name' is invalid.*save a checkpoint under that name first/,
    );
    await expect(
      saveCheckpointToIndexedDb(await trainer.saveCheckpoint(), {
        name: 'b',
        indexedDB,
        chunkBytes: 10,
      }),
    ).rejects.toThrow(/options.chunkBytes/);
    close();
  });

  it('refuses a checkpoint of another objective or another model shape, leaving the trainer untouched', async () => {
    const { trainer, close } = build(7, 11);
    const checkpoint = await trainer.saveCheckpoint();
    const objective = createTinyObjective();
    const bigger = createTinyModel({ hiddenSize: 8 });
    const other = createTrainer({
      objective,
      model: bigger,
      maxGradientNorm: 0.5,
      optimizer: { weightDecay: 0.1 },
    });
    const before = Array.from(bigger.variables[0]!.dataSync());
    expect(() => other.loadCheckpoint(checkpoint)).toThrow(
      /loadCheckpoint: argument 'checkpoint' is invalid. Expected tensor 0 \(model variable 0, '.*'\) float32 of shape \[11, 8\]; received model 0 float32 of shape \[11, 6\]/,
    );
    expect(Array.from(bigger.variables[0]!.dataSync())).toEqual(before);
    expect(other.step).toBe(0);
    const renamed: TrainingCheckpoint = {
      ...checkpoint,
      manifest: { ...checkpoint.manifest, objectiveId: 'acme/other' },
    };
    expect(() => trainer.loadCheckpoint(renamed)).toThrow(
      /a checkpoint of objective 'mock\/next-token'/,
    );
    other.dispose();
    bigger.dispose();
    close();
  });

  it('restores the random source in place, so references to trainer.random stay valid', async () => {
    const { trainer, close } = build(7, 11);
    const random = trainer.random;
    const checkpoint = await trainer.saveCheckpoint();
    const expected = [random.nextUint32(), random.nextUint32()];
    random.nextUint32();
    trainer.loadCheckpoint(checkpoint);
    expect([random.nextUint32(), random.nextUint32()]).toEqual(expected);
    // Examples drawn after a resume are the same as before it.
    expect(randomExamples([3], 1)).toEqual(randomExamples([3], 1));
    close();
  });
});

// The checkpoint arrays of the cpu backend can share memory with live tensors: never written in place.
it('treats checkpoint arrays as read-only (a later step does not change a saved checkpoint)', async () => {
  await tf.setBackend('cpu');
  const { trainer, close } = build(7, 11);
  const checkpoint = await trainer.saveCheckpoint();
  const copy = checkpoint.arrays.map((array) => Array.from(array));
  await run(trainer, 2);
  expect(checkpoint.arrays.map((array) => Array.from(array))).toEqual(copy);
  close();
});
