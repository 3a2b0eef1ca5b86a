import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { errorCode } from './error-code.ts';

/**
 * Scratch files and folders (temporary files, spools, work folders) are named after the
 * process that made them, so that a process started later can remove those left by one that
 * has ended (killed or crashed mid-write) without touching those of live processes sharing
 * the folder.
 */

/**
 * What every scratch name this process makes starts with: its pid and a token of this life of
 * the pid. One per module instance: a worker thread that loaded this module would have its own,
 * so scratch is made and swept from the main thread only.
 */
export const SCRATCH_OWNER = `${process.pid}-${randomBytes(4).toString('hex')}`;

const OWNER_PREFIX = /^(\d+)-([0-9a-f]{8})-/;

/**
 * Whether the scratch entry `name` was made by a process that has ended; false for a name
 * without an owner. A name with our pid and another token comes from an earlier life of this
 * pid (pid 1 in a restarted container). A maker in another pid namespace (a container sharing
 * the folder) looks ended too: its entry is removed and its work fails and is retried, which
 * never leaves a torn object behind.
 */
export function scratchOwnerGone(name: string): boolean {
  const match = OWNER_PREFIX.exec(name);
  if (match === null) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return `${match[1]}-${match[2]}` !== SCRATCH_OWNER;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

/**
 * Removes the scratch entries of ended processes from `folder` and from the folders below it
 * that are not scratch entries themselves (`tmp/uploads`, `tmp/work`); returns how many. A
 * missing folder has none.
 */
export async function removeOrphanedScratch(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  });
  let removed = 0;
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (scratchOwnerGone(entry.name)) {
      await rm(entryPath, { recursive: true, force: true });
      removed += 1;
    } else if (entry.isDirectory() && !OWNER_PREFIX.test(entry.name)) {
      removed += await removeOrphanedScratch(entryPath);
    }
  }
  return removed;
}
