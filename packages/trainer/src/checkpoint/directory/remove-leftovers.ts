import { join } from 'node:path';
import type { CheckpointFileSystem } from './checkpoint-file-system';
import { parseEntryName } from './directory-layout';
import { readPointer } from './read-pointer';
import { isAbandoned } from './save-owners';

/**
 * Removes what finished or dead saves left in a checkpoint directory: version subdirectories that
 * `current.json` does not name, and staged pointers, when their writer is done (`isAbandoned`).
 *
 * The order of the two checks makes this safe next to a running save: a version can only become
 * current through its own writer's rename, so once its writer is known to be done, a pointer read
 * *afterwards* that does not name it never will. Best effort: a failure to list or remove is ignored
 * (the next save or load tries again); nothing is removed while `current.json` cannot be read, so
 * that a damaged pointer never costs the versions someone may want to recover. Returns the names
 * removed.
 */
export async function removeLeftovers(
  fileSystem: CheckpointFileSystem,
  directory: string,
): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fileSystem.readDirectory(directory);
  } catch {
    return removed;
  }
  for (const name of names) {
    const entry = parseEntryName(name);
    if (entry === undefined || !isAbandoned(entry.owner)) continue;
    try {
      const reading = await readPointer(fileSystem, directory);
      if (reading.state === 'invalid') return removed;
      if (reading.state === 'valid' && reading.pointer.directory === name) continue;
      await fileSystem.removeAll(join(directory, name));
      removed.push(name);
    } catch {
      // Left for the next save or load.
    }
  }
  return removed;
}
