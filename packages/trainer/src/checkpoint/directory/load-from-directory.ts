import { join } from 'node:path';
import { InvalidArgumentError } from '@lm-objectives/core';
import { CorruptCheckpointError } from '../../errors/corrupt-checkpoint-error';
import { assembleCheckpoint, checkManifestDocument } from '../checkpoint-chunks';
import type { TrainingCheckpoint } from '../training-checkpoint';
import { checkDirectoryArgument } from './check-directory-argument';
import type { CheckpointFileSystem } from './checkpoint-file-system';
import {
  type CheckpointPointer,
  chunkFileName,
  MANIFEST_FILE,
  POINTER_FILE,
} from './directory-layout';
import { readPointer } from './read-pointer';
import { removeLeftovers } from './remove-leftovers';

const FUNCTION_NAME = 'loadCheckpointFromDirectory';

/** How many times a load starts over when a save replaced the checkpoint while it was reading. */
const MAX_ATTEMPTS = 4;

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

/** Reads a file of the checkpoint; a missing or unreadable file is a {@link CorruptCheckpointError}. */
async function readPiece(fileSystem: CheckpointFileSystem, path: string): Promise<Uint8Array> {
  try {
    return await fileSystem.readFile(path);
  } catch (cause) {
    throw new CorruptCheckpointError({
      functionName: FUNCTION_NAME,
      location: path,
      problem: isMissing(cause) ? 'the file is missing' : `it cannot be read (${String(cause)})`,
      cause,
    });
  }
}

/** The pointer of `directory`, or a typed error saying why there is no checkpoint to load. */
async function currentPointer(
  fileSystem: CheckpointFileSystem,
  directory: string,
): Promise<CheckpointPointer> {
  const kind = await fileSystem.kind(directory);
  const reading = kind === 'directory' ? await readPointer(fileSystem, directory) : undefined;
  if (reading?.state === 'valid') return reading.pointer;
  if (reading?.state === 'invalid') {
    throw new CorruptCheckpointError({
      functionName: FUNCTION_NAME,
      location: join(directory, POINTER_FILE),
      problem: reading.problem,
      fix: `point it at a complete version directory of '${directory}' (rewrite it from a backup), or save a new checkpoint there.`,
      cause: reading.cause,
    });
  }
  throw new InvalidArgumentError({
    functionName: FUNCTION_NAME,
    argumentName: 'directory',
    expected: `a checkpoint directory (with ${POINTER_FILE}) written by saveCheckpointToDirectory`,
    received: directory,
    receivedDescription:
      kind === 'missing'
        ? `'${directory}', which does not exist`
        : kind === 'file'
          ? `'${directory}', which is a file`
          : `'${directory}', which holds no completed save (no ${POINTER_FILE})`,
    fix: 'pass the directory given to saveCheckpointToDirectory, after a save to it completed.',
  });
}

/** Loads the version `pointer` names: its manifest (checksum, fields), then every chunk. */
async function loadVersion(
  fileSystem: CheckpointFileSystem,
  directory: string,
  pointer: CheckpointPointer,
): Promise<TrainingCheckpoint> {
  const version = join(directory, pointer.directory);
  const manifestPath = join(version, MANIFEST_FILE);
  const bytes = await readPiece(fileSystem, manifestPath);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new CorruptCheckpointError({
      functionName: FUNCTION_NAME,
      location: manifestPath,
      problem: `it is not valid JSON (${bytes.byteLength} bytes: empty or truncated)`,
      cause,
    });
  }
  const manifest = checkManifestDocument(document, FUNCTION_NAME, manifestPath);
  if ((document as { checksum: string }).checksum !== pointer.checksum) {
    throw new CorruptCheckpointError({
      functionName: FUNCTION_NAME,
      location: manifestPath,
      problem: `it is not the manifest ${POINTER_FILE} was switched to (checksum ${(document as { checksum: string }).checksum}, expected ${pointer.checksum})`,
    });
  }
  const chunkPath = (index: number) => join(version, chunkFileName(index));
  return assembleCheckpoint(
    manifest,
    (index) => readPiece(fileSystem, chunkPath(index)),
    FUNCTION_NAME,
    chunkPath,
  );
}

/**
 * The directory store's load, on any {@link CheckpointFileSystem}: reads `current.json`, then the
 * version it names — the manifest (checksum first, then every field) and every chunk (size and
 * CRC-32). When a piece is missing because a save replaced the checkpoint meanwhile (the pointer
 * changed), it starts over with the new one. Finally removes leftovers of dead saves (best effort).
 */
export async function loadFromDirectory(
  fileSystem: CheckpointFileSystem,
  directory: string,
): Promise<TrainingCheckpoint> {
  checkDirectoryArgument(directory, FUNCTION_NAME);
  for (let attempt = 1; ; attempt++) {
    const pointer = await currentPointer(fileSystem, directory);
    try {
      const checkpoint = await loadVersion(fileSystem, directory, pointer);
      await removeLeftovers(fileSystem, directory);
      return checkpoint;
    } catch (error) {
      if (
        attempt < MAX_ATTEMPTS &&
        CorruptCheckpointError.isInstance(error) &&
        isMissing(error.cause)
      ) {
        const again = await readPointer(fileSystem, directory).catch(() => undefined);
        if (again?.state === 'valid' && again.pointer.directory !== pointer.directory) continue;
      }
      throw error;
    }
  }
}
