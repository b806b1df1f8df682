// Every file-system call of a save fails in turn, in three ways (before doing anything, after
// doing its work, and — for writes — half-way through), on a first save and on a save that
// replaces a checkpoint. After each, the directory must load bit-identical to the previous or the
// new checkpoint (the one the outcome says), and the next save must leave no leftovers.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@lm-objectives/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSaveError } from '../../errors/checkpoint-save-error';
import { whichCheckpoint } from '../../test-support/checkpoint-equality';
import { checkpointVariant, threeStepCheckpoint } from '../../test-support/checkpoint-fixtures';
import {
  type FaultKind,
  faultyFileSystem,
  recordingFileSystem,
} from '../../test-support/faulty-file-system';
import type { TrainingCheckpoint } from '../training-checkpoint';
import { nodeFileSystem } from './checkpoint-file-system';
import { loadFromDirectory } from './load-from-directory';
import { saveToDirectory } from './save-to-directory';

const OPTIONS = { chunkBytes: 1024 };
let previous: TrainingCheckpoint;
let next: TrainingCheckpoint;
let after: TrainingCheckpoint;
let root = '';
let runs = 0;

beforeAll(async () => {
  const base = await threeStepCheckpoint();
  [previous, next, after] = [1, 2, 3].map((k) => checkpointVariant(base, k)) as [
    TrainingCheckpoint,
    TrainingCheckpoint,
    TrainingCheckpoint,
  ];
  // tmpfs when there is one: fsync is free there, and the outcome does not depend on it.
  root = await mkdtemp(
    join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), 'trainer-faults-'),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The labels of a save's calls: a replacing save (`withPrevious`) or a first one. */
async function traceOfSave(withPrevious: boolean): Promise<string[]> {
  const directory = join(root, `trace-${withPrevious}`);
  if (withPrevious) await saveToDirectory(nodeFileSystem, previous, directory, OPTIONS);
  const { fileSystem, calls } = recordingFileSystem(nodeFileSystem);
  await saveToDirectory(fileSystem, next, directory, OPTIONS);
  return calls;
}

interface Outcome {
  readonly label: string;
  readonly kind: FaultKind;
  readonly result: 'resolved' | 'committed' | 'not committed' | 'unknown';
  readonly loaded: 'previous' | 'new' | 'neither' | 'nothing';
}

/** One fault: save `next` over `previous` (or into a fresh directory) with call `at` failing. */
async function injectOne(at: number, kind: FaultKind, withPrevious: boolean): Promise<Outcome> {
  const directory = join(root, `run-${runs++}`);
  if (withPrevious) await saveToDirectory(nodeFileSystem, previous, directory, OPTIONS);
  const { fileSystem, state } = faultyFileSystem(nodeFileSystem, at, kind);
  let result: Outcome['result'] = 'resolved';
  try {
    await saveToDirectory(fileSystem, next, directory, OPTIONS);
  } catch (error) {
    expect(CheckpointSaveError.isInstance(error), String(error)).toBe(true);
    const committed = (error as CheckpointSaveError).committed;
    result = committed === true ? 'committed' : committed === false ? 'not committed' : 'unknown';
  }
  let loaded: Outcome['loaded'];
  try {
    loaded = whichCheckpoint(
      await loadFromDirectory(nodeFileSystem, directory),
      withPrevious ? previous : undefined,
      next,
    );
  } catch (error) {
    // Only a first save that never switched may leave nothing to load, and it must say so.
    expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/holds no completed save|does not exist/);
    loaded = 'nothing';
  }
  // The next save cleans whatever the failed one left behind.
  await saveToDirectory(nodeFileSystem, after, directory, OPTIONS);
  const entries = (await readdir(directory)).sort();
  expect(entries, `leftovers after a fault at ${state.injected}`).toHaveLength(2);
  expect(entries[0]).toBe('current.json');
  expect(
    whichCheckpoint(await loadFromDirectory(nodeFileSystem, directory), undefined, after),
  ).toBe('new');
  return { label: state.injected ?? '(none)', kind, result, loaded };
}

/** The checkpoint a save's outcome promises: resolved or committed → new; not committed → previous. */
function promised(outcome: Outcome, withPrevious: boolean): readonly Outcome['loaded'][] {
  if (outcome.result === 'resolved' || outcome.result === 'committed') return ['new'];
  const before = withPrevious ? 'previous' : 'nothing';
  return outcome.result === 'not committed' ? [before] : [before, 'new'];
}

describe('directory store under injected faults', () => {
  for (const withPrevious of [true, false]) {
    it(`${withPrevious ? 'a save replacing a checkpoint' : 'a first save'}: every call failing before, after or half-way through its work loses nothing`, async () => {
      const trace = await traceOfSave(withPrevious);
      expect(trace.length).toBeGreaterThan(20);
      const outcomes: Outcome[] = [];
      for (const kind of ['before', 'after', 'torn'] as const) {
        for (let at = 0; at < trace.length; at++) {
          if (kind === 'torn' && !trace[at]!.startsWith('write ')) continue;
          outcomes.push(await injectOne(at, kind, withPrevious));
        }
      }
      const lost = outcomes.filter(
        (outcome) =>
          outcome.loaded === 'neither' || !promised(outcome, withPrevious).includes(outcome.loaded),
      );
      expect(lost).toEqual([]);
      // Every planned fault came (the faulty save made as many calls as the traced one).
      expect(outcomes.filter((outcome) => outcome.label === '(none)')).toEqual([]);
      expect(outcomes.some((outcome) => outcome.result === 'not committed')).toBe(true);
      expect(outcomes.some((outcome) => outcome.result === 'committed')).toBe(true);
      console.log(
        `fault injection (${withPrevious ? 'replacing save' : 'first save'}): ${trace.length} calls, ${outcomes.length} faults injected, ${lost.length} checkpoints lost; outcomes: ${JSON.stringify(
          Object.fromEntries(
            ['resolved', 'committed', 'not committed', 'unknown'].map((result) => [
              result,
              outcomes.filter((outcome) => outcome.result === result).length,
            ]),
          ),
        )}`,
      );
    });
  }
});
