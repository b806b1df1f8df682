import { mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptCheckpointError } from '../errors/corrupt-checkpoint-error';
import {
  FIXTURE_TRAINER_OPTIONS,
  type LooseManifest,
  MANIFEST_EDITS,
  threeStepCheckpoint,
} from '../test-support/checkpoint-fixtures';
import { createTinyModel, createTinyObjective } from '../test-support/trainer-fixtures';
import { snapshotTrainer } from '../test-support/trainer-snapshot';
import { createTrainer } from '../trainer/create-trainer';
import { type ManifestDocument, sealManifest } from './checkpoint-chunks';
import {
  loadCheckpointFromDirectory,
  saveCheckpointToDirectory,
} from './directory-checkpoint-store';
import {
  loadCheckpointFromIndexedDb,
  saveCheckpointToIndexedDb,
} from './indexeddb-checkpoint-store';
import type { TrainingCheckpoint } from './training-checkpoint';

let checkpoint: TrainingCheckpoint;
let root = '';
let saved = 0;
beforeAll(async () => {
  checkpoint = await threeStepCheckpoint();
  root = await mkdtemp(join(tmpdir(), 'trainer-corruption-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Saves the fixture into a fresh directory; returns it and its version subdirectory. */
async function savedDirectory() {
  const directory = join(root, `run-${saved++}`);
  await saveCheckpointToDirectory(checkpoint, directory, { chunkBytes: 1024 });
  const version = (await readdir(directory)).find((name) => name.startsWith('v'))!;
  return { directory, version: join(directory, version) };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the load did not refuse');
    },
    (error: Error) => error,
  );
}

/** A trainer that the fixture fits, and a snapshot of its state before any load. */
async function freshTrainer() {
  const model = createTinyModel({ seed: 99 });
  const trainer = createTrainer({
    objective: createTinyObjective(),
    model,
    seed: 8,
    ...FIXTURE_TRAINER_OPTIONS,
  });
  return { trainer, model, before: await snapshotTrainer(trainer) };
}

describe('directory store: every damaged piece is a CorruptCheckpointError naming the file', () => {
  const cases: readonly [
    string,
    (paths: { directory: string; version: string }) => Promise<void>,
    RegExp,
  ][] = [
    [
      'a missing chunk',
      ({ version }) => unlink(join(version, 'chunk-00001.bin')),
      /chunk-00001\.bin: the file is missing/,
    ],
    [
      'a truncated chunk',
      ({ version }) => truncate(join(version, 'chunk-00000.bin'), 100),
      /chunk-00000\.bin: it holds 100 bytes where the manifest records 1024/,
    ],
    [
      'an empty chunk',
      ({ version }) => writeFile(join(version, 'chunk-00002.bin'), ''),
      /chunk-00002\.bin: it holds 0 bytes/,
    ],
    [
      'a flipped bit in a chunk',
      async ({ version }) => {
        const path = join(version, 'chunk-00002.bin');
        const bytes = await readFile(path);
        bytes[3] = bytes[3]! ^ 0x10;
        await writeFile(path, bytes);
      },
      /chunk-00002\.bin: its checksum does not match the manifest/,
    ],
    [
      'an empty manifest',
      ({ version }) => writeFile(join(version, 'manifest.json'), ''),
      /manifest\.json: it is not valid JSON \(0 bytes: empty or truncated\)/,
    ],
    [
      'a truncated manifest',
      async ({ version }) => {
        const path = join(version, 'manifest.json');
        await writeFile(path, (await readFile(path)).subarray(0, 200));
      },
      /manifest\.json: it is not valid JSON \(200 bytes/,
    ],
    [
      'a missing manifest',
      ({ version }) => unlink(join(version, 'manifest.json')),
      /manifest\.json: the file is missing/,
    ],
    [
      'a manifest that is JSON but not a manifest',
      ({ version }) => writeFile(join(version, 'manifest.json'), '[1, 2]'),
      /manifest\.json: it is not a checkpoint manifest/,
    ],
    [
      'a garbled current.json',
      ({ directory }) => writeFile(join(directory, 'current.json'), '{"format'),
      /current\.json: it is not valid JSON/,
    ],
    [
      'a current.json pointing outside the directory',
      ({ directory }) =>
        writeFile(
          join(directory, 'current.json'),
          JSON.stringify({
            format: 'lm-objectives/trainer-checkpoint-pointer',
            version: 1,
            directory: '../elsewhere',
            checksum: 'crc32:00000000',
          }),
        ),
      /current\.json: it is not a checkpoint pointer/,
    ],
    [
      'a current.json naming a version that is gone',
      async ({ version }) => rm(version, { recursive: true }),
      /manifest\.json: the file is missing/,
    ],
    [
      "a manifest swapped for another save's",
      async ({ version }) => {
        const path = join(version, 'manifest.json');
        const document = JSON.parse(await readFile(path, 'utf8')) as ManifestDocument;
        const other = sealManifest({ ...document.manifest, metadata: { epoch: 2 } });
        await writeFile(path, JSON.stringify(other));
      },
      /manifest\.json: it is not the manifest current\.json was switched to/,
    ],
  ];
  for (const [what, damage, message] of cases) {
    it(`${what}`, async () => {
      const paths = await savedDirectory();
      await damage(paths);
      const error = await refusal(loadCheckpointFromDirectory(paths.directory));
      expect(CorruptCheckpointError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toMatch(/^loadCheckpointFromDirectory: the checkpoint is damaged: /);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Nothing was loaded\. Fix: /);
    });
  }
});

describe('directory store: an edited manifest is refused by its checksum, and when resealed by its fields', () => {
  for (const [what, edit, fragment] of MANIFEST_EDITS) {
    it(`${what}`, async () => {
      const { directory, version } = await savedDirectory();
      const path = join(version, 'manifest.json');
      const document = JSON.parse(await readFile(path, 'utf8')) as {
        checksum: string;
        manifest: LooseManifest;
      };
      edit(document.manifest);
      await writeFile(path, JSON.stringify(document));
      const unsealed = await refusal(loadCheckpointFromDirectory(directory));
      expect(CorruptCheckpointError.isInstance(unsealed)).toBe(true);
      expect(unsealed.message).toMatch(/manifest\.json: its content does not match its checksum/);
      // An editor who also recomputes the checksum: the fields themselves are checked, by the
      // store or, for a well-formed checkpoint of another configuration, by loadCheckpoint.
      const resealed = sealManifest(document.manifest as never);
      await writeFile(path, JSON.stringify(resealed));
      const pointerPath = join(directory, 'current.json');
      const pointer = JSON.parse(await readFile(pointerPath, 'utf8')) as { checksum: string };
      await writeFile(pointerPath, JSON.stringify({ ...pointer, checksum: resealed.checksum }));
      const loaded = await loadCheckpointFromDirectory(directory).catch((error: Error) => error);
      if (loaded instanceof Error) {
        expect(CorruptCheckpointError.isInstance(loaded), String(loaded)).toBe(true);
        expect(loaded.message).toMatch(fragment);
      } else {
        const { trainer, model } = await freshTrainer();
        expect(() => trainer.loadCheckpoint(loaded)).toThrow(fragment);
        trainer.dispose();
        model.dispose();
      }
    });
  }
});

describe('IndexedDB store: damaged records are CorruptCheckpointErrors naming the record', () => {
  async function editRecords(
    indexedDB: IDBFactory,
    change: (manifests: IDBObjectStore, chunks: IDBObjectStore) => void,
  ) {
    await new Promise<void>((resolve, reject) => {
      const opening = indexedDB.open('lm-objectives-checkpoints');
      opening.onsuccess = () => {
        const transaction = opening.result.transaction(['manifests', 'chunks'], 'readwrite');
        change(transaction.objectStore('manifests'), transaction.objectStore('chunks'));
        transaction.oncomplete = () => {
          opening.result.close();
          resolve();
        };
        transaction.onerror = () => reject(transaction.error);
      };
    });
  }
  const edit = (
    manifests: IDBObjectStore,
    update: (record: { generation: number; document: ManifestDocument }) => unknown,
  ) => {
    const reading = manifests.get('run');
    reading.onsuccess = () => manifests.put(update(reading.result), 'run');
  };
  const cases: readonly [
    string,
    (manifests: IDBObjectStore, chunks: IDBObjectStore) => void,
    RegExp,
  ][] = [
    [
      'a deleted chunk',
      (_, chunks) => chunks.delete(['run', 1, 1]),
      /chunk \[1, 1\]: the record is missing/,
    ],
    [
      'a shortened chunk',
      (_, chunks) => chunks.put(new ArrayBuffer(10), ['run', 1, 0]),
      /chunk \[1, 0\]: it holds 10 bytes/,
    ],
    [
      'a chunk that is not an ArrayBuffer',
      (_, chunks) => chunks.put('bytes', ['run', 1, 2]),
      /chunk \[1, 2\]: the record is not an ArrayBuffer/,
    ],
    [
      'an edited manifest',
      (manifests) =>
        edit(manifests, (record) => ({
          ...record,
          document: { ...record.document, manifest: { ...record.document.manifest, step: -5 } },
        })),
      /manifest record: its content does not match its checksum/,
    ],
    [
      'an edited and resealed manifest',
      (manifests) =>
        edit(manifests, (record) => ({
          ...record,
          document: sealManifest({ ...record.document.manifest, step: 2.5 }),
        })),
      /manifest record: field 'manifest\.step' is invalid/,
    ],
    [
      'a record that is not a manifest record',
      (manifests) => manifests.put('hello', 'run'),
      /manifest record: it is not a manifest record/,
    ],
  ];
  for (const [what, damage, message] of cases) {
    it(`${what}`, async () => {
      const indexedDB = new IDBFactory();
      await saveCheckpointToIndexedDb(checkpoint, { name: 'run', indexedDB, chunkBytes: 1024 });
      await editRecords(indexedDB, damage);
      const error = await refusal(loadCheckpointFromIndexedDb({ name: 'run', indexedDB }));
      expect(CorruptCheckpointError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toMatch(
        /^loadCheckpointFromIndexedDb: the checkpoint is damaged: IndexedDB 'lm-objectives-checkpoints', checkpoint 'run', /,
      );
      expect(error.message).toMatch(message);
    });
  }
});

describeEachBackend('loadCheckpoint: all or nothing', () => {
  function edited(edit: (manifest: LooseManifest) => void): TrainingCheckpoint {
    const manifest = structuredClone(checkpoint.manifest) as unknown as LooseManifest;
    edit(manifest);
    return { manifest: manifest as never, arrays: checkpoint.arrays };
  }

  for (const [what, edit, fragment] of MANIFEST_EDITS) {
    it(`refuses ${what}, leaving weights, moments, step and random state bit-identical`, async () => {
      const { trainer, model, before } = await freshTrainer();
      let caught: unknown;
      try {
        trainer.loadCheckpoint(edited(edit));
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), String(caught)).toBe(true);
      expect((caught as InvalidArgumentError).functionName).toBe('loadCheckpoint');
      expect((caught as Error).message).toMatch(fragment);
      expect(await snapshotTrainer(trainer)).toEqual(before);
      trainer.dispose();
      model.dispose();
    });
  }

  const arrayEdits: readonly [string, (arrays: (Float32Array | Int32Array)[]) => void, string][] = [
    [
      'a NaN weight',
      (arrays) => {
        arrays[1]![4] = Number.NaN;
      },
      'checkpoint.arrays[1][4]',
    ],
    [
      'an infinite first moment',
      (arrays) => {
        arrays[4]![0] = Number.POSITIVE_INFINITY;
      },
      'checkpoint.arrays[4][0]',
    ],
    [
      'a negative second moment',
      (arrays) => {
        arrays[5]![2] = -1e-3;
      },
      'checkpoint.arrays[5][2]',
    ],
    [
      'an Int32Array for a float32 weight',
      (arrays) => {
        arrays[0] = new Int32Array(arrays[0]!.length);
      },
      'checkpoint.arrays[0]',
    ],
    [
      'an array one value short',
      (arrays) => {
        arrays[3] = arrays[3]!.slice(1);
      },
      'checkpoint.arrays[3]',
    ],
    ['a missing array', (arrays) => void arrays.pop(), 'checkpoint.arrays'],
  ];
  for (const [what, edit, argumentName] of arrayEdits) {
    it(`refuses ${what}, leaving the trainer bit-identical`, async () => {
      const { trainer, model, before } = await freshTrainer();
      const arrays = checkpoint.arrays.map((array) => array.slice());
      edit(arrays);
      expect(() => trainer.loadCheckpoint({ manifest: checkpoint.manifest, arrays })).toThrow(
        `loadCheckpoint: argument '${argumentName}' is invalid`,
      );
      expect(await snapshotTrainer(trainer)).toEqual(before);
      trainer.dispose();
      model.dispose();
    });
  }

  it('accepts changed hyper-parameters only when asked, and then keeps its own', async () => {
    const { trainer, model } = await freshTrainer();
    const changed = edited((manifest) => {
      manifest.optimizer.beta1 = 0.8;
    });
    expect(() => trainer.loadCheckpoint(changed)).toThrow(/allowChangedHyperParameters/);
    trainer.loadCheckpoint(changed, { allowChangedHyperParameters: true });
    expect(trainer.step).toBe(3);
    expect((await trainer.saveCheckpoint()).manifest.optimizer.beta1).toBe(0.9);
    expect(() =>
      trainer.loadCheckpoint(checkpoint, { allowChangedHyperparameter: true } as never),
    ).toThrow(/did you mean 'allowChangedHyperParameters'/);
    trainer.dispose();
    model.dispose();
  });

  it('a good checkpoint still loads completely after refused ones', async () => {
    const { trainer, model } = await freshTrainer();
    expect(() =>
      trainer.loadCheckpoint(
        edited((manifest) => {
          manifest.randomState = [0, 0, 0, 0];
        }),
      ),
    ).toThrow();
    trainer.loadCheckpoint(checkpoint);
    const after = await trainer.saveCheckpoint();
    expect(after.manifest.randomState).toEqual(checkpoint.manifest.randomState);
    expect(after.arrays.map((array) => Array.from(array))).toEqual(
      checkpoint.arrays.map((array) => Array.from(array)),
    );
    trainer.dispose();
    model.dispose();
  });
});
