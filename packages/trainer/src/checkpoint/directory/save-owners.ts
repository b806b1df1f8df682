import { randomBytes } from 'node:crypto';
import { type EntryOwner, hostTag } from './directory-layout';

/** Tokens of the saves this process is running now. */
const activeTokens = new Set<string>();

/** A fresh owner for one save of this process, registered as running until {@link releaseOwner}. */
export function claimOwner(): EntryOwner {
  const owner = { host: hostTag(), pid: process.pid, token: randomBytes(4).toString('hex') };
  activeTokens.add(owner.token);
  return owner;
}

/** Marks a save of this process as finished: its leftovers, if any, become removable. */
export function releaseOwner(owner: EntryOwner): void {
  activeTokens.delete(owner.token);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Whether an entry written by `owner` may be removed by this process: it was written on this host
 * and its save is over — by this process (a save that finished or failed), or by a process that no
 * longer exists (killed mid-save). Entries of other hosts (a shared network drive) are never
 * touched, since their processes cannot be checked from here.
 */
export function isAbandoned(owner: EntryOwner): boolean {
  if (owner.host !== hostTag()) return false;
  if (owner.pid === process.pid) return !activeTokens.has(owner.token);
  return !processExists(owner.pid);
}
