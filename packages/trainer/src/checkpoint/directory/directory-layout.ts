import { hostname } from 'node:os';
import { crc32 } from '../../internal/crc32';

/**
 * The layout of a checkpoint directory:
 *
 * - `current.json`, the pointer: names the version subdirectory that holds the checkpoint and the
 *   checksum of its manifest. Replaced only by an atomic rename, so it always names a complete
 *   version.
 * - `v000012-<host>-<pid>-<token>/`, a version: `manifest.json` and `chunk-00000.bin`, … Each save
 *   writes a new one; the name records the writer (a hash of the host name, the process id, a random
 *   token), so that leftovers of a save whose process died can be told from a save in progress.
 * - `current.json.<host>-<pid>-<token>.tmp`: the next pointer, before its rename.
 */
export const POINTER_FILE = 'current.json';

/** The manifest file of a version. */
export const MANIFEST_FILE = 'manifest.json';

/** The `format` of `current.json`. */
export const POINTER_FORMAT = 'lm-objectives/trainer-checkpoint-pointer';

/** The content of `current.json`. */
export interface CheckpointPointer {
  readonly format: typeof POINTER_FORMAT;
  readonly version: 1;
  /** The version subdirectory's name. */
  readonly directory: string;
  /** The checksum of its manifest (the manifest document's `checksum`). */
  readonly checksum: string;
}

/** Who wrote an entry: host-name hash, process id and a per-save random token. */
export interface EntryOwner {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
}

/** A name of this layout, parsed. */
export type LayoutEntry =
  | { readonly kind: 'version'; readonly generation: number; readonly owner: EntryOwner }
  | { readonly kind: 'pointer-staging'; readonly owner: EntryOwner };

const OWNER = '([0-9a-f]{8})-([0-9]{1,10})-([0-9a-f]{8})';
const VERSION_NAME = new RegExp(`^v([0-9]{6,15})-${OWNER}$`);
const POINTER_STAGING_NAME = new RegExp(`^current\\.json\\.${OWNER}\\.tmp$`);

/** This host's tag in entry names: the CRC-32 of its host name, as 8 hex digits. */
export function hostTag(): string {
  return crc32(new TextEncoder().encode(hostname())).toString(16).padStart(8, '0');
}

function ownerTag(owner: EntryOwner): string {
  return `${owner.host}-${owner.pid}-${owner.token}`;
}

/** The name of version `generation` written by `owner`. */
export function versionDirectoryName(generation: number, owner: EntryOwner): string {
  return `v${String(generation).padStart(6, '0')}-${ownerTag(owner)}`;
}

/** The name `owner` writes the next pointer under before renaming it to `current.json`. */
export function pointerStagingName(owner: EntryOwner): string {
  return `${POINTER_FILE}.${ownerTag(owner)}.tmp`;
}

/** The name of chunk `index` in a version directory. */
export function chunkFileName(index: number): string {
  return `chunk-${String(index).padStart(5, '0')}.bin`;
}

/** Parses a directory entry's name; `undefined` for names this layout does not use. */
export function parseEntryName(name: string): LayoutEntry | undefined {
  const version = VERSION_NAME.exec(name);
  if (version) {
    return {
      kind: 'version',
      generation: Number(version[1]),
      owner: { host: version[2]!, pid: Number(version[3]), token: version[4]! },
    };
  }
  const staging = POINTER_STAGING_NAME.exec(name);
  if (staging) {
    return {
      kind: 'pointer-staging',
      owner: { host: staging[1]!, pid: Number(staging[2]), token: staging[3]! },
    };
  }
  return undefined;
}

/** The generation after the newest version among `names` (1 for an empty directory). */
export function nextGeneration(names: readonly string[]): number {
  let newest = 0;
  for (const name of names) {
    const entry = parseEntryName(name);
    if (entry?.kind === 'version') newest = Math.max(newest, entry.generation);
  }
  return newest + 1;
}

/** Whether `value` is a valid `current.json` content (its directory a version name, no path). */
export function isCheckpointPointer(value: unknown): value is CheckpointPointer {
  const pointer = value as Partial<CheckpointPointer> | null;
  return (
    pointer !== null &&
    typeof pointer === 'object' &&
    pointer.format === POINTER_FORMAT &&
    pointer.version === 1 &&
    typeof pointer.directory === 'string' &&
    VERSION_NAME.test(pointer.directory) &&
    typeof pointer.checksum === 'string' &&
    /^crc32:[0-9a-f]{8}$/.test(pointer.checksum) &&
    Object.keys(pointer).length === 4
  );
}
