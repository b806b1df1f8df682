// Test support (not exported): file systems that record, fail or slow down the directory store's
// calls, for the fault-injection and kill suites.
import { basename } from 'node:path';
import type {
  CheckpointFileHandle,
  CheckpointFileSystem,
} from '../checkpoint/directory/checkpoint-file-system';

/**
 * How an injected fault behaves: the call fails without doing anything (`'before'`), does its work
 * and then reports a failure (`'after'`: a lost acknowledgement), or — for a write — writes half
 * of the bytes and fails (`'torn'`).
 */
export type FaultKind = 'before' | 'after' | 'torn';

/** Wraps every call of `base`: `around(label, run)` decides what happens to call number `index`. */
export function wrapFileSystem(
  base: CheckpointFileSystem,
  around: <T>(label: string, run: (torn?: boolean) => Promise<T>) => Promise<T>,
): CheckpointFileSystem {
  const wrapHandle = (handle: CheckpointFileHandle, name: string): CheckpointFileHandle => ({
    write: (data) =>
      around(`write ${name}`, (torn) =>
        handle.write(torn ? data.subarray(0, data.length >> 1) : data),
      ),
    sync: () => around(`sync ${name}`, () => handle.sync()),
    close: () => around(`close ${name}`, () => handle.close()),
  });
  return {
    makeDirectories: (path) =>
      around(`makeDirectories ${basename(path)}`, () => base.makeDirectories(path)),
    makeDirectory: (path) =>
      around(`makeDirectory ${basename(path)}`, () => base.makeDirectory(path)),
    createFile: async (path) =>
      wrapHandle(
        await around(`createFile ${basename(path)}`, () => base.createFile(path)),
        basename(path),
      ),
    syncDirectory: (path) =>
      around(`syncDirectory ${basename(path)}`, () => base.syncDirectory(path)),
    rename: (from, to) =>
      around(`rename ${basename(from)} → ${basename(to)}`, () => base.rename(from, to)),
    removeAll: (path) => around(`removeAll ${basename(path)}`, () => base.removeAll(path)),
    readDirectory: (path) =>
      around(`readDirectory ${basename(path)}`, () => base.readDirectory(path)),
    readFile: (path) => around(`readFile ${basename(path)}`, () => base.readFile(path)),
    kind: (path) => around(`kind ${basename(path)}`, () => base.kind(path)),
  };
}

function ioError(label: string): Error {
  return Object.assign(new Error(`EIO: i/o error (injected), ${label}`), { code: 'EIO' });
}

/** A file system that records the label of every call. */
export function recordingFileSystem(base: CheckpointFileSystem) {
  const calls: string[] = [];
  const fileSystem = wrapFileSystem(base, (label, run) => {
    calls.push(label);
    return run();
  });
  return { fileSystem, calls };
}

/** A file system whose call number `at` (0-based) fails as `kind` says; `injected` tells whether it came. */
export function faultyFileSystem(base: CheckpointFileSystem, at: number, kind: FaultKind) {
  const state = { count: 0, injected: undefined as string | undefined };
  const fileSystem = wrapFileSystem(base, async (label, run) => {
    const index = state.count++;
    if (index !== at) return run();
    state.injected = label;
    if (kind === 'before') throw ioError(label);
    const result: unknown = await run(kind === 'torn' && label.startsWith('write '));
    // A file opened by a call reported as failed is closed, as the store can no longer reach it.
    const handle = result as { close?: () => Promise<void> } | undefined;
    if (typeof handle?.close === 'function') await handle.close();
    throw ioError(label);
  });
  return { fileSystem, state };
}
