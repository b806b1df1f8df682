import { dirname, join, resolve } from 'node:path';
import { checkOptionKeys } from '@lm-objectives/core';
import { CheckpointSaveError } from '../../errors/checkpoint-save-error';
import { checkTrainingCheckpoint } from '../check-training-checkpoint';
import {
  type ChunkRecord,
  checkChunkBytes,
  checkpointChunks,
  chunkRecord,
  manifestDocument,
} from '../checkpoint-chunks';
import type { TrainingCheckpoint } from '../training-checkpoint';
import { checkDirectoryArgument } from './check-directory-argument';
import type { CheckpointFileSystem } from './checkpoint-file-system';
import {
  type CheckpointPointer,
  chunkFileName,
  type EntryOwner,
  MANIFEST_FILE,
  nextGeneration,
  POINTER_FILE,
  POINTER_FORMAT,
  pointerStagingName,
  versionDirectoryName,
} from './directory-layout';
import { readPointer } from './read-pointer';
import { removeLeftovers } from './remove-leftovers';
import { claimOwner, releaseOwner } from './save-owners';

/** Options of `saveCheckpointToDirectory`. */
export interface SaveCheckpointToDirectoryOptions {
  /** The largest chunk file, in bytes. Default 256 MiB. */
  chunkBytes?: number;
}

const FUNCTION_NAME = 'saveCheckpointToDirectory';
const DEFAULT_CHUNK_BYTES = 256 * 1024 * 1024;

/** Runs one file-system step of a save; its failure becomes a {@link CheckpointSaveError}. */
type Guard = <T>(operation: string, action: () => Promise<T>) => Promise<T>;

function guardFor(directory: string): Guard {
  return async (operation, action) => {
    try {
      return await action();
    } catch (cause) {
      if (CheckpointSaveError.isInstance(cause)) throw cause;
      throw new CheckpointSaveError({
        functionName: FUNCTION_NAME,
        location: directory,
        operation,
        committed: false,
        cause,
      });
    }
  };
}

/** Creates `path` with `data`, then fsyncs and closes it: on disk before the caller goes on. */
async function writeDurably(
  fileSystem: CheckpointFileSystem,
  path: string,
  data: Uint8Array,
  label: string,
  guard: Guard,
): Promise<void> {
  const handle = await guard(`creating ${label}`, () => fileSystem.createFile(path));
  try {
    await guard(`writing ${label}`, () => handle.write(data));
    await guard(`syncing ${label}`, () => handle.sync());
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await guard(`closing ${label}`, () => handle.close());
}

/** `mkdir -p directory`, then fsyncs the parents of what it created so the new entries last. */
async function ensureDirectory(
  fileSystem: CheckpointFileSystem,
  directory: string,
  guard: Guard,
): Promise<void> {
  const kind = await guard('checking the directory', () => fileSystem.kind(directory));
  if (kind === 'file') {
    throw new CheckpointSaveError({
      functionName: FUNCTION_NAME,
      location: directory,
      operation: 'creating the directory',
      committed: false,
      cause: new Error(`'${directory}' is a file, not a directory`),
    });
  }
  if (kind === 'directory') return;
  const created = await guard('creating the directory', () =>
    fileSystem.makeDirectories(directory),
  );
  if (created === undefined) return;
  // Every directory from the first one created down to `directory` is a new entry of its parent.
  const first = resolve(created);
  for (let child = resolve(directory); ; child = dirname(child)) {
    const parent = dirname(child);
    await guard(`syncing '${parent}'`, () => fileSystem.syncDirectory(parent));
    if (child === first || parent === child) break;
  }
}

/** Writes the chunks and the manifest into the new version directory, each file fsynced. */
async function writeVersion(
  fileSystem: CheckpointFileSystem,
  checkpoint: TrainingCheckpoint,
  version: string,
  chunkBytes: number,
  guard: Guard,
): Promise<string> {
  const records: ChunkRecord[] = [];
  let index = 0;
  for (const chunk of checkpointChunks(checkpoint, chunkBytes)) {
    records.push(chunkRecord(chunk));
    const name = chunkFileName(index++);
    await writeDurably(fileSystem, join(version, name), chunk, name, guard);
  }
  const document = manifestDocument(checkpoint, records);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  await writeDurably(
    fileSystem,
    join(version, MANIFEST_FILE),
    new TextEncoder().encode(text),
    MANIFEST_FILE,
    guard,
  );
  return document.checksum;
}

/** Whether `current.json` names `versionName` now (`'unknown'` when it cannot be read). */
async function switchedTo(
  fileSystem: CheckpointFileSystem,
  directory: string,
  versionName: string,
): Promise<boolean | 'unknown'> {
  try {
    const reading = await readPointer(fileSystem, directory);
    return reading.state === 'valid' && reading.pointer.directory === versionName;
  } catch {
    return 'unknown';
  }
}

/**
 * Writes a new version and switches `current.json` to it (steps 3–8 of the protocol in the
 * README). Until the rename in the last step, `current.json` names the previous version; after
 * it, the new one.
 */
async function writeAndSwitch(
  fileSystem: CheckpointFileSystem,
  checkpoint: TrainingCheckpoint,
  directory: string,
  chunkBytes: number,
  owner: EntryOwner,
  guard: Guard,
): Promise<string> {
  const names = await guard('listing the directory', () => fileSystem.readDirectory(directory));
  const versionName = versionDirectoryName(nextGeneration(names), owner);
  const version = join(directory, versionName);
  const staged = join(directory, pointerStagingName(owner));
  let switching = false;
  try {
    await guard(`creating ${versionName}`, () => fileSystem.makeDirectory(version));
    const checksum = await writeVersion(fileSystem, checkpoint, version, chunkBytes, guard);
    await guard(`syncing ${versionName}`, () => fileSystem.syncDirectory(version));
    const pointer: CheckpointPointer = {
      format: POINTER_FORMAT,
      version: 1,
      directory: versionName,
      checksum,
    };
    const pointerBytes = new TextEncoder().encode(`${JSON.stringify(pointer, null, 2)}\n`);
    await writeDurably(fileSystem, staged, pointerBytes, 'the next current.json', guard);
    await guard('syncing the directory', () => fileSystem.syncDirectory(directory));
    switching = true;
    await guard(`switching ${POINTER_FILE} to ${versionName}`, () =>
      fileSystem.rename(staged, join(directory, POINTER_FILE)),
    );
    return versionName;
  } catch (error) {
    // Before the rename nothing names the new version. A rename that failed may still have taken
    // effect: read the pointer back, and keep the version unless it is certainly not current.
    const switched = switching ? await switchedTo(fileSystem, directory, versionName) : false;
    if (switched !== false) {
      throw new CheckpointSaveError({
        functionName: FUNCTION_NAME,
        location: directory,
        operation: `switching ${POINTER_FILE} to ${versionName}`,
        committed: switched,
        cause: (error as Error).cause ?? error,
      });
    }
    await fileSystem.removeAll(version).catch(() => undefined);
    await fileSystem.removeAll(staged).catch(() => undefined);
    throw error;
  }
}

/**
 * The directory store's save, on any {@link CheckpointFileSystem} (the exported
 * `saveCheckpointToDirectory` passes the real one; tests pass one that fails or slows down).
 */
export async function saveToDirectory(
  fileSystem: CheckpointFileSystem,
  checkpoint: TrainingCheckpoint,
  directory: string,
  options: SaveCheckpointToDirectoryOptions = {},
): Promise<void> {
  checkDirectoryArgument(directory, FUNCTION_NAME);
  checkOptionKeys(FUNCTION_NAME, options, ['chunkBytes']);
  const chunkBytes = checkChunkBytes(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, FUNCTION_NAME);
  checkTrainingCheckpoint(checkpoint, FUNCTION_NAME);
  const guard = guardFor(directory);
  const owner = claimOwner();
  try {
    await ensureDirectory(fileSystem, directory, guard);
    await removeLeftovers(fileSystem, directory);
    await writeAndSwitch(fileSystem, checkpoint, directory, chunkBytes, owner, guard);
    try {
      await fileSystem.syncDirectory(directory);
    } catch (cause) {
      throw new CheckpointSaveError({
        functionName: FUNCTION_NAME,
        location: directory,
        operation: `syncing the directory after switching ${POINTER_FILE}`,
        committed: true,
        cause,
      });
    }
  } finally {
    releaseOwner(owner);
  }
  // The previous version and any other leftovers: not part of the save's outcome.
  await removeLeftovers(fileSystem, directory);
}
