import { nodeFileSystem } from './directory/checkpoint-file-system';
import { loadFromDirectory } from './directory/load-from-directory';
import {
  type SaveCheckpointToDirectoryOptions,
  saveToDirectory,
} from './directory/save-to-directory';
import type { TrainingCheckpoint } from './training-checkpoint';

export type { SaveCheckpointToDirectoryOptions } from './directory/save-to-directory';

/**
 * Saves a checkpoint into `directory` so that no failure loses a checkpoint: the new checkpoint is
 * written into a new version subdirectory (every chunk of at most `chunkBytes` and the manifest
 * fsynced, then the subdirectory and `directory`), and only then does an atomic rename of
 * `current.json` switch to it. A save that fails or is killed at any moment leaves `directory`
 * holding the complete previous checkpoint (or, once the switch happened, the complete new one);
 * the next save or load removes what a dead save left behind. One save at a time per directory.
 *
 * Rejects with a `CheckpointSaveError` (whose `committed` says which checkpoint is in place) when
 * a file-system call fails; cleaning up the previous version afterwards never fails the save.
 */
export function saveCheckpointToDirectory(
  checkpoint: TrainingCheckpoint,
  directory: string,
  options: SaveCheckpointToDirectoryOptions = {},
): Promise<void> {
  return saveToDirectory(nodeFileSystem, checkpoint, directory, options);
}

/**
 * Loads the checkpoint `directory` holds (see {@link saveCheckpointToDirectory}), verifying the
 * manifest's checksum and every field, and every chunk's size and CRC-32, before returning it. A
 * damaged piece is a `CorruptCheckpointError` naming the file and the fix.
 */
export function loadCheckpointFromDirectory(directory: string): Promise<TrainingCheckpoint> {
  return loadFromDirectory(nodeFileSystem, directory);
}
