import { join } from 'node:path';
import type { CheckpointFileSystem } from './checkpoint-file-system';
import { type CheckpointPointer, isCheckpointPointer, POINTER_FILE } from './directory-layout';

/** What `current.json` holds: a valid pointer, nothing (no save ever completed), or something invalid. */
export type PointerReading =
  | { readonly state: 'valid'; readonly pointer: CheckpointPointer }
  | { readonly state: 'missing' }
  | { readonly state: 'invalid'; readonly problem: string; readonly cause?: unknown };

/** Reads and checks `current.json` in `directory`; file-system errors other than a missing file propagate. */
export async function readPointer(
  fileSystem: CheckpointFileSystem,
  directory: string,
): Promise<PointerReading> {
  let bytes: Uint8Array;
  try {
    bytes = await fileSystem.readFile(join(directory, POINTER_FILE));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    return {
      state: 'invalid',
      problem: `it is not valid JSON (${bytes.byteLength} bytes: truncated or overwritten)`,
      cause,
    };
  }
  if (!isCheckpointPointer(value)) {
    return {
      state: 'invalid',
      problem:
        'it is not a checkpoint pointer { format, version, directory: "v…", checksum: "crc32:…" }',
    };
  }
  return { state: 'valid', pointer: value };
}
