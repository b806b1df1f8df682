import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError } from '@lm-objectives/core';
import {
  assembleCheckpoint,
  type ChunkRecord,
  checkChunkBytes,
  checkpointChunks,
  checkStoredManifest,
  chunkRecord,
  storedManifest,
} from './checkpoint-chunks';
import type { TrainingCheckpoint } from './training-checkpoint';

/** Options of {@link saveCheckpointToDirectory}. */
export interface SaveCheckpointToDirectoryOptions {
  /** The largest chunk file, in bytes. Default 256 MiB. */
  chunkBytes?: number;
}

const MANIFEST_FILE = 'manifest.json';
const DEFAULT_CHUNK_BYTES = 256 * 1024 * 1024;

function chunkFile(index: number): string {
  return `chunk-${String(index).padStart(5, '0')}.bin`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Saves a checkpoint as a directory: `manifest.json` plus `chunk-00000.bin`, … of at most
 * `chunkBytes` each. The directory is written under a temporary name beside the target and renamed
 * into place, so an interrupted save never leaves a half-written checkpoint where the previous one was.
 */
export async function saveCheckpointToDirectory(
  checkpoint: TrainingCheckpoint,
  directory: string,
  options: SaveCheckpointToDirectoryOptions = {},
): Promise<void> {
  const functionName = 'saveCheckpointToDirectory';
  if (typeof directory !== 'string' || directory === '') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'directory',
      expected: 'a directory path',
      received: directory,
      fix: "pass e.g. 'checkpoints/step-1000'.",
    });
  }
  const chunkBytes = checkChunkBytes(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, functionName);
  const suffix = randomBytes(4).toString('hex');
  const staging = join(dirname(directory), `.${basename(directory)}.saving-${suffix}`);
  const retired = join(dirname(directory), `.${basename(directory)}.old-${suffix}`);
  await mkdir(staging, { recursive: true });
  try {
    const records: ChunkRecord[] = [];
    let index = 0;
    for (const chunk of checkpointChunks(checkpoint, chunkBytes)) {
      records.push(chunkRecord(chunk));
      await writeFile(join(staging, chunkFile(index++)), chunk);
    }
    await writeFile(
      join(staging, MANIFEST_FILE),
      `${JSON.stringify(storedManifest(checkpoint, records), null, 2)}\n`,
    );
    const hadPrevious = await exists(directory);
    if (hadPrevious) await rename(directory, retired);
    await rename(staging, directory);
    if (hadPrevious) await rm(retired, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Loads a checkpoint saved by {@link saveCheckpointToDirectory}, checking every chunk's CRC-32. */
export async function loadCheckpointFromDirectory(directory: string): Promise<TrainingCheckpoint> {
  const functionName = 'loadCheckpointFromDirectory';
  let text: string;
  try {
    text = await readFile(join(directory, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const listing = await readdir(directory).catch(() => undefined);
    throw new InvalidArgumentError(
      {
        functionName,
        argumentName: 'directory',
        expected: `a checkpoint directory containing ${MANIFEST_FILE}`,
        received: directory,
        receivedDescription: listing
          ? `'${directory}' containing [${listing.join(', ')}]`
          : `'${directory}', which does not exist`,
        fix: 'pass the directory given to saveCheckpointToDirectory.',
      },
      { cause: error },
    );
  }
  const manifest = checkStoredManifest(JSON.parse(text), functionName);
  return assembleCheckpoint(
    manifest,
    async (index) => new Uint8Array(await readFile(join(directory, chunkFile(index)))),
    functionName,
  );
}
