// SIGKILL at random moments: a child process saves a checkpoint through a file system slowed to a
// few milliseconds per call, and is killed after a random delay drawn from a seeded generator. After
// each kill the directory must load bit-identical to the previous or the new checkpoint, and the
// next save (by this process) must remove everything the dead one left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@lm-objectives/core';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whichCheckpoint } from '../../test-support/checkpoint-equality';
import { checkpointVariant, threeStepCheckpoint } from '../../test-support/checkpoint-fixtures';
import type { TrainingCheckpoint } from '../training-checkpoint';
import { nodeFileSystem } from './checkpoint-file-system';
import { loadFromDirectory } from './load-from-directory';
import { saveToDirectory } from './save-to-directory';

const KILLS = 60;
const DELAY_MS = 6;
const OPTIONS = { chunkBytes: 1024 };
let root = '';
let child = '';
let previous: TrainingCheckpoint;
let next: TrainingCheckpoint;
let after: TrainingCheckpoint;

beforeAll(async () => {
  root = await mkdtemp(join(process.platform === 'linux' ? '/dev/shm' : tmpdir(), 'trainer-kill-'));
  child = join(root, 'slow-save-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../../test-support/slow-save-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: child,
    logLevel: 'warning',
  });
  const base = await threeStepCheckpoint();
  [previous, next, after] = [1, 2, 3].map((k) => checkpointVariant(base, k)) as [
    TrainingCheckpoint,
    TrainingCheckpoint,
    TrainingCheckpoint,
  ];
  await saveToDirectory(nodeFileSystem, next, join(root, 'source'), OPTIONS);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Kills the child as soon as it prints a line starting with `prefix`. */
  killAt(prefix: string): Promise<void>;
  readonly exited: Promise<void>;
  /** Resolves once the child loaded its checkpoint and waits for `go`. */
  readonly ready: Promise<void>;
}

/** Spawns a child that will save `next` into `target` when told to (startup is paid in advance). */
function spawnChild(target: string): Child {
  const process_ = spawn(
    process.execPath,
    [child, join(root, 'source'), target, String(DELAY_MS)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<void>((done) => process_.once('exit', () => done()));
  let killPrefix: string | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    process_.stdout!.on('data', (data: Buffer) => {
      buffered += data.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line === 'ready') resolve();
        if (killPrefix !== undefined && line.startsWith(killPrefix)) process_.kill('SIGKILL');
      }
    });
    process_.once('error', reject);
    exited.then(() =>
      reject(new Error(`the child exited before it was ready: ${lines.join(' / ')}`)),
    );
  });
  const killAt = (prefix: string) => {
    killPrefix = prefix;
    return exited;
  };
  return { process: process_, lines, exited, ready, killAt };
}

/** Tells a ready child to start saving. */
function go(running: Child): void {
  running.process.stdin!.write('go\n');
}

/** Median duration of three whole slow saves: the span the kill moments are drawn from. */
async function slowSaveMilliseconds(): Promise<number> {
  const durations: number[] = [];
  for (let run = 0; run < 3; run++) {
    const running = spawnChild(join(root, `timing-${run}`));
    await running.ready;
    go(running);
    await running.exited;
    const done = running.lines.find((line) => line.startsWith('done '));
    expect(done).toBeDefined();
    durations.push(Number(done!.slice(5)));
  }
  return durations.sort((a, b) => a - b)[1]!;
}

/** The call a kill interrupted, without the run-specific parts of the names. */
function phaseOf(lines: readonly string[]): string {
  if (lines.some((line) => line.startsWith('done'))) return 'after the save';
  const last = lines.filter((line) => line.startsWith('call ')).at(-1);
  if (last === undefined) return 'before the first call';
  return last
    .replace(/^call \d+ /, '')
    .replace(/[0-9a-f]{8}-\d+-[0-9a-f]{8}/g, '…')
    .replace(/chunk-\d+/, 'chunk-*')
    .replace(/run-\d+|trainer-kill-\w+/g, 'run');
}

describe('directory store under SIGKILL', () => {
  it(`a save killed at ${KILLS} random moments never loses a checkpoint, and the next save cleans up`, async () => {
    const span = await slowSaveMilliseconds();
    const random = createRng(2024);
    const phases = new Map<string, number>();
    let lost = 0;
    let upcoming = spawnChild(join(root, 'run-0'));
    for (let kill = 0; kill < KILLS; kill++) {
      const directory = join(root, `run-${kill}`);
      const firstSave = kill % 6 === 5; // one kill in six hits a first save, with no previous checkpoint
      if (!firstSave) await saveToDirectory(nodeFileSystem, previous, directory, OPTIONS);
      const running = upcoming;
      await running.ready;
      go(running);
      // The next child starts up while this one saves.
      if (kill + 1 < KILLS) upcoming = spawnChild(join(root, `run-${kill + 1}`));
      // Uniform over the save and a little beyond it (kills after the end must find the new one).
      await new Promise((resolve) => setTimeout(resolve, random.uniform() * span * 1.1));
      running.process.kill('SIGKILL');
      await running.exited;
      const phase = phaseOf(running.lines);
      phases.set(phase, (phases.get(phase) ?? 0) + 1);
      const loaded = await loadFromDirectory(nodeFileSystem, directory).then(
        (checkpoint) => whichCheckpoint(checkpoint, firstSave ? undefined : previous, next),
        () => (firstSave ? 'nothing' : 'neither'),
      );
      if (loaded === 'neither') lost++;
      expect(loaded, `killed during ${phase}`).not.toBe('neither');
      await saveToDirectory(nodeFileSystem, after, directory, OPTIONS);
      const entries = (await readdir(directory)).sort();
      expect(entries, `leftovers of a save killed during ${phase}`).toHaveLength(2);
      expect(
        whichCheckpoint(await loadFromDirectory(nodeFileSystem, directory), undefined, after),
      ).toBe('new');
    }
    expect(lost).toBe(0);
    expect(phases.size).toBeGreaterThan(8); // the moments spread over the save's phases
    console.log(
      `SIGKILL: ${KILLS} kills over a ${span.toFixed(0)} ms save, ${lost} checkpoints lost; last call started per kill: ${JSON.stringify(Object.fromEntries(phases))}`,
    );
  });

  it('a save killed right after each of its calls starts never loses a checkpoint either', async () => {
    await saveToDirectory(nodeFileSystem, previous, join(root, 'calls'), OPTIONS);
    const timing = spawnChild(join(root, 'calls'));
    await timing.ready;
    go(timing);
    await timing.exited;
    const calls = timing.lines.filter((line) => line.startsWith('call ')).length;
    expect(calls).toBeGreaterThan(20);
    let lost = 0;
    let upcoming = spawnChild(join(root, 'at-0'));
    for (let call = 0; call < calls; call++) {
      const directory = join(root, `at-${call}`);
      await saveToDirectory(nodeFileSystem, previous, directory, OPTIONS);
      const running = upcoming;
      await running.ready;
      const killed = running.killAt(`call ${call} `);
      go(running);
      if (call + 1 < calls) upcoming = spawnChild(join(root, `at-${call + 1}`));
      await killed;
      const loaded = await loadFromDirectory(nodeFileSystem, directory).then(
        (checkpoint) => whichCheckpoint(checkpoint, previous, next),
        () => 'neither' as const,
      );
      if (loaded === 'neither') lost++;
      expect(loaded, `killed during ${phaseOf(running.lines)}`).not.toBe('neither');
      await saveToDirectory(nodeFileSystem, after, directory, OPTIONS);
      expect(await readdir(directory)).toHaveLength(2);
    }
    expect(lost).toBe(0);
    console.log(`SIGKILL at each call: ${calls} kills, ${lost} checkpoints lost`);
  });
});
