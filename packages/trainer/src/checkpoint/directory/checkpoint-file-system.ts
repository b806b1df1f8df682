import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';

/** A file opened for writing by {@link CheckpointFileSystem.createFile}. */
export interface CheckpointFileHandle {
  /** Writes all of `data` at the current position. */
  write(data: Uint8Array): Promise<void>;
  /** `fsync`: returns once the file's data and size are on the storage device. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls the directory checkpoint store makes, one method per call, so that tests
 * can make any one of them fail (or slow them down) and check that no save loses a checkpoint.
 */
export interface CheckpointFileSystem {
  /** `mkdir -p`: resolves to the first directory it created, or `undefined` when all existed. */
  makeDirectories(path: string): Promise<string | undefined>;
  /** `mkdir` of one directory, failing when it exists. */
  makeDirectory(path: string): Promise<void>;
  /** Creates a new file for writing, failing when it exists. */
  createFile(path: string): Promise<CheckpointFileHandle>;
  /** `fsync` of a directory: its entries (created, renamed files) are on the storage device. */
  syncDirectory(path: string): Promise<void>;
  /** `rename`: atomically replaces `to` when it exists. */
  rename(from: string, to: string): Promise<void>;
  /** `rm -rf`: no error when `path` does not exist. */
  removeAll(path: string): Promise<void>;
  readDirectory(path: string): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** What is at `path`. */
  kind(path: string): Promise<'directory' | 'file' | 'missing'>;
}

/** The real file system (`node:fs/promises`). */
export const nodeFileSystem: CheckpointFileSystem = {
  makeDirectories: (path) => mkdir(path, { recursive: true }),
  makeDirectory: async (path) => {
    await mkdir(path);
  },
  async createFile(path) {
    const handle = await open(path, 'wx');
    return {
      write: (data) => handle.writeFile(data),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  async syncDirectory(path) {
    // Windows cannot open a directory for fsync; NTFS journals its directory entries itself.
    if (process.platform === 'win32') return;
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  removeAll: (path) => rm(path, { recursive: true, force: true }),
  readDirectory: (path) => readdir(path),
  readFile: async (path) => new Uint8Array(await readFile(path)),
  async kind(path) {
    try {
      return (await stat(path)).isDirectory() ? 'directory' : 'file';
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return 'missing';
      throw error;
    }
  },
};
